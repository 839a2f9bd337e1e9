// Run after the suites: fails when any test left host resources behind (mounts, temp dirs).
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const prefix = "berth-test-";
const leaks: string[] = [];

for (const line of readFileSync("/proc/mounts", "utf8").split("\n")) {
  if (line.includes(prefix)) leaks.push(`mount: ${line}`);
}
for (const name of readdirSync(os.tmpdir())) {
  if (name.startsWith(prefix)) leaks.push(`temp dir: ${os.tmpdir()}/${name}`);
}

if (leaks.length > 0) {
  console.error(`leak check: ${leaks.length} leftover(s) from the test suites:`);
  for (const leak of leaks) console.error(`  ${leak}`);
  process.exit(1);
}
console.log("leak check: no leftover mounts or temp dirs");
