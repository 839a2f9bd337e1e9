import { readdirSync, rmdirSync } from "node:fs";

/** Cgroups named with the test prefix, in any hierarchy (v1 controllers, name=systemd, unified). */
export function leakedCgroups(prefix = "berth-test-"): string[] {
  const found: string[] = [];
  const roots = readdirSync("/sys/fs/cgroup", { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `/sys/fs/cgroup/${d.name}`);
  for (const root of ["/sys/fs/cgroup", ...roots]) {
    try {
      for (const name of readdirSync(root))
        if (name.startsWith(prefix)) found.push(`${root}/${name}`);
    } catch {
      // not a directory we can read (a file in a v2 root)
    }
  }
  return [...new Set(found)];
}

/** Child cgroups of `parent` (an absolute cgroup path) in any hierarchy. */
export function cgroupChildren(parent: string): string[] {
  const children = new Set<string>();
  for (const root of readdirSync("/sys/fs/cgroup")) {
    try {
      for (const entry of readdirSync(`/sys/fs/cgroup/${root}${parent}`, { withFileTypes: true })) {
        if (entry.isDirectory()) children.add(`${root}${parent}/${entry.name}`);
      }
    } catch {
      // this hierarchy has no such cgroup
    }
  }
  return [...children];
}

/** Removes an (empty) cgroup from every hierarchy: test teardown for a parent the agent made. */
export function removeCgroupEverywhere(cgroup: string): void {
  for (const root of readdirSync("/sys/fs/cgroup")) {
    try {
      rmdirSync(`/sys/fs/cgroup/${root}${cgroup}`);
    } catch {
      // absent in this hierarchy
    }
  }
}
