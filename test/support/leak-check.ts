import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const prefix = "berth-test-";

/** Host resources the test suites left behind: mounts and temp dirs carrying the test prefix. */
export function findLeaks(): string[] {
  const leaks: string[] = [];
  for (const line of readFileSync("/proc/mounts", "utf8").split("\n")) {
    if (line.includes(prefix)) leaks.push(`mount: ${line}`);
  }
  for (const name of readdirSync(os.tmpdir())) {
    if (name.startsWith(prefix)) leaks.push(`temp dir: ${os.tmpdir()}/${name}`);
  }
  return leaks;
}
