import { promises as fs } from "node:fs";
import { errnoCode } from "../../../lib/errors.js";
import { run } from "../../../lib/exec.js";

export interface RootfsLayout {
  /** Image snapshots, top layer first. */
  lowers: string[];
  upper: string;
  work: string;
  target: string;
}

/** Mounts a container's root: its image's snapshots read-only under its own writable layer. */
export async function mountRootfs(layout: RootfsLayout): Promise<void> {
  await fs.mkdir(layout.upper, { recursive: true, mode: 0o755 });
  await fs.mkdir(layout.work, { recursive: true, mode: 0o700 });
  await fs.mkdir(layout.target, { recursive: true, mode: 0o755 });
  if (await isMountPoint(layout.target)) return;
  const options = `lowerdir=${layout.lowers.join(":")},upperdir=${layout.upper},workdir=${layout.work}`;
  await run("mount", ["-t", "overlay", "overlay", "-o", options, layout.target]);
}

/** Unmounts (if mounted); harmless to repeat. */
export async function unmountRootfs(target: string): Promise<void> {
  if (await isMountPoint(target)) await run("umount", [target]);
}

export async function isMountPoint(target: string): Promise<boolean> {
  try {
    const mounts = await fs.readFile("/proc/self/mountinfo", "utf8");
    return mounts.split("\n").some((line) => line.split(" ")[4] === escapeMountPath(target));
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return false;
    throw err;
  }
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function escapeMountPath(p: string): string {
  return p.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}
