import { promises as fs } from "node:fs";

/** The mount points in a /proc/<pid>/mountinfo text, in the file's order (proc(5), field 5). */
export function parseMountPoints(text: string): string[] {
  const points: string[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    if (fields.length < 5 || fields[4] === undefined || fields[4] === "") continue;
    points.push(unescapeMountField(fields[4]));
  }
  return points;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (\040…). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/**
 * The mounts at or below `dir`, in the order to unmount them: deepest first, and of mounts
 * stacked on one point the latest first. A mount point repeats once per stacked mount.
 */
export function mountsUnder(points: string[], dir: string): string[] {
  const base = dir.replace(/\/+$/, "");
  return points
    .map((p, order) => ({ p, order }))
    .filter(({ p }) => p === base || p.startsWith(`${base}/`))
    .sort((a, b) => depth(b.p) - depth(a.p) || b.order - a.order)
    .map(({ p }) => p);
}

const depth = (p: string) => p.split("/").length;

export async function readMountPoints(): Promise<string[]> {
  return parseMountPoints(await fs.readFile("/proc/self/mountinfo", "utf8"));
}
