import { promises as fs } from "node:fs";
import { run } from "../../lib/exec.js";

/** Last resort after a failed test or run: whatever is still mounted under `dir` (deepest first). */
export async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await fs.readFile("/proc/mounts", "utf8"))
    .split("\n")
    .map((l) => l.split(" ")[1])
    .filter((m) => m?.startsWith(`${dir}/`))
    .reverse();
  for (const m of mounts) await run("umount", ["-l", m]).catch(() => undefined);
}
