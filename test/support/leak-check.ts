import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { leakedCgroups } from "./cgroup-leaks.js";
import { testBridgePrefix } from "./test-network.js";

const prefix = "berth-test-";

/** Host resources the test suites left behind: mounts, temp dirs, cgroups, processes, netns, bridges and nat rules. */
export function findLeaks(): string[] {
  const leaks: string[] = [];
  for (const line of readFileSync("/proc/mounts", "utf8").split("\n")) {
    if (line.includes(prefix)) leaks.push(`mount: ${line}`);
  }
  for (const name of readdirSync(os.tmpdir())) {
    if (name.startsWith(prefix)) leaks.push(`temp dir: ${os.tmpdir()}/${name}`);
  }
  for (const cgroup of leakedCgroups(prefix)) leaks.push(`cgroup: ${cgroup}`);
  for (const proc of leakedProcesses()) leaks.push(`process: ${proc}`);
  for (const name of readdir("/run/netns").filter((n) => n.startsWith(prefix))) {
    leaks.push(`netns: /run/netns/${name}`);
  }
  for (const name of readdir("/sys/class/net").filter((n) => n.startsWith(testBridgePrefix))) {
    leaks.push(`bridge: ${name}`);
  }
  for (const rule of natRules().filter((r) => r.includes(prefix))) leaks.push(`nat rule: ${rule}`);
  return leaks;
}

/** Processes whose command line names a test directory: conmon, runc or a container's init. */
function leakedProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (cmdline.includes(prefix) && !cmdline.includes("mocha"))
        found.push(`${pid} ${cmdline.slice(0, 160)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function readdir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The nat table's rules (tests tag theirs with the network name, which has the test prefix). */
function natRules(): string[] {
  try {
    return execFileSync("iptables-save", ["-t", "nat"], { encoding: "utf8" }).split("\n");
  } catch {
    return [];
  }
}
