import { promises as fs } from "node:fs";
import { errnoCode } from "../../lib/errors.js";

/** One interface's counters, as the kubelet's Summary API names them. */
export interface InterfaceStats {
  name: string;
  rxBytes: number;
  rxErrors: number;
  txBytes: number;
  txErrors: number;
}

/**
 * /proc/net/dev text as per-interface counters (loopback left out, as the kubelet does). Lines
 * that do not parse are skipped.
 */
export function parseNetDev(text: string): InterfaceStats[] {
  const out: InterfaceStats[] = [];
  for (const line of text.split("\n").slice(2)) {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!match || match[1] === "lo") continue;
    const f = match[2].trim().split(/\s+/).map(Number);
    if (f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit the same.
    out.push({ name: match[1], rxBytes: f[0], rxErrors: f[2], txBytes: f[8], txErrors: f[10] });
  }
  return out;
}

/**
 * The network counters of the namespace process `pid` lives in (/proc/<pid>/net/dev shows the
 * process's own network namespace): a pod's, read through one of its containers. Undefined
 * when the process is gone.
 */
export async function readNetworkStats(
  pid: number,
  procRoot = "/proc",
): Promise<InterfaceStats[] | undefined> {
  try {
    return parseNetDev(await fs.readFile(`${procRoot}/${pid}/net/dev`, "utf8"));
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ESRCH" || code === "EINVAL") return undefined;
    throw err;
  }
}
