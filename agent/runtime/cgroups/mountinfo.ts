/** One cgroup or cgroup2 mount, as /proc/self/mountinfo describes it. */
export interface CgroupMountEntry {
  mountPoint: string;
  /** The cgroup the mount shows at its mount point (field 4). */
  root: string;
  fsType: "cgroup" | "cgroup2";
  /** Super options (last field): for v1 the controllers, "name=systemd", and flags like "rw". */
  superOptions: string[];
}

/** The cgroup mounts in a mountinfo text (proc(5): "… root mount-point … - fstype source super-options"). */
export function parseCgroupMounts(text: string): CgroupMountEntry[] {
  const mounts: CgroupMountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(" ");
    const dash = fields.indexOf("-");
    if (dash < 6 || fields.length < dash + 4) continue;
    const fsType = fields[dash + 1];
    if (fsType !== "cgroup" && fsType !== "cgroup2") continue;
    mounts.push({
      mountPoint: unescape(fields[4]),
      root: unescape(fields[3]),
      fsType,
      superOptions: fields[dash + 3].split(","),
    });
  }
  return mounts;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (\040…). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Controller names a v1 mount can carry (cgroups(7)), besides a named hierarchy ("name=systemd"). */
export const v1ControllerNames = new Set([
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "net_cls",
  "net_prio",
  "blkio",
  "perf_event",
  "hugetlb",
  "pids",
  "rdma",
  "misc",
]);

/** The controllers (and "name=…" of a named hierarchy) of a v1 mount, from its super options. */
export function v1Controllers(entry: CgroupMountEntry): string[] {
  return entry.superOptions.filter((o) => v1ControllerNames.has(o) || o.startsWith("name="));
}
