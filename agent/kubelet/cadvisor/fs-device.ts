import { promises as fs } from "node:fs";

/**
 * The device of the filesystem holding `dir`: the source of the mount with the longest mount
 * point containing it, from mountinfo text (cAdvisor's `device` label for filesystem series).
 * Mount points are octal-escaped in mountinfo ("\040" for a space).
 */
export function deviceOf(dir: string, mountinfo: string): string {
  let best = { length: -1, source: "" };
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (right === undefined) continue;
    const mountPoint = unescape(left.split(" ")[4] ?? "");
    const source = unescape(right.split(" ")[1] ?? "");
    const within = mountPoint === "/" || dir === mountPoint || dir.startsWith(mountPoint + "/");
    if (within && mountPoint.length >= best.length) best = { length: mountPoint.length, source };
  }
  return best.source;
}

function unescape(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** deviceOf() for a real directory (symlinks resolved), from this process's mountinfo. */
export async function deviceOfDir(dir: string): Promise<string> {
  const [real, mountinfo] = await Promise.all([
    fs.realpath(dir).catch(() => dir),
    fs.readFile("/proc/self/mountinfo", "utf8"),
  ]);
  return deviceOf(real, mountinfo);
}
