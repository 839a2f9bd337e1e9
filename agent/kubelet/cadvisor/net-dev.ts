import { readFileSync } from "node:fs";
import { errnoCode } from "../../../lib/errors.js";

/** One interface's counters from /proc/net/dev, the ones cAdvisor exports. */
export interface InterfaceCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/**
 * /proc/net/dev text as per-interface counters. Loopback is left out, as cAdvisor leaves it out
 * of a container's network stats; lines that do not parse are skipped.
 */
export function parseNetDevCounters(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split("\n").slice(2)) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!match || match[1] === "lo") continue;
    const f = match[2].trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit:
    // bytes packets errs drop fifo colls carrier compressed.
    out.push({
      name: match[1],
      rxBytes: f[0],
      rxPackets: f[1],
      rxErrors: f[2],
      rxDropped: f[3],
      txBytes: f[8],
      txPackets: f[9],
      txErrors: f[10],
      txDropped: f[11],
    });
  }
  return out;
}

/**
 * The counters of the network namespace process `pid` is in (/proc/<pid>/net/dev shows that
 * process's namespace). Undefined when the process is gone. Read synchronously, like the cgroup
 * files of a scrape: procfs text is generated in memory, never waits for a disk.
 */
export async function readNetDevOf(
  pid: number,
  procRoot = "/proc",
): Promise<InterfaceCounters[] | undefined> {
  try {
    return parseNetDevCounters(readFileSync(`${procRoot}/${pid}/net/dev`, "utf8"));
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ESRCH" || code === "EINVAL") return undefined;
    throw err;
  }
}
