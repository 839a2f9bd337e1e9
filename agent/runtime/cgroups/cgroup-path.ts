import { failedPrecondition, invalidArgument } from "../../../lib/errors.js";

/**
 * Checks an absolute cgroup path ("/berth/<pod>/<ctr>") and returns it normalised (no trailing
 * slash). Refuses relative paths, "." and ".." segments: a path must never climb out of a hierarchy.
 */
export function cgroupPath(path: string, field = "cgroup"): string {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw invalidArgument(`${field}: cgroup path ${JSON.stringify(path)} must be absolute`, {
      field,
    });
  }
  const segments = path.split("/").filter((s) => s !== "");
  for (const s of segments) {
    if (s === "." || s === ".." || s.includes("\0")) {
      throw invalidArgument(
        `${field}: cgroup path ${JSON.stringify(path)} has an invalid segment`,
        { field },
      );
    }
  }
  return "/" + segments.join("/");
}

/** Like cgroupPath, but also refuses "/" (a hierarchy root must never be created or removed). */
export function nonRootCgroupPath(path: string, field = "cgroup"): string {
  const p = cgroupPath(path, field);
  if (p === "/") throw invalidArgument(`${field}: refusing to act on the root cgroup`, { field });
  return p;
}

/** The absolute cgroup paths from the root down to `path`: "/a/b" → ["/", "/a", "/a/b"]. */
export function ancestry(path: string): string[] {
  const segments = path.split("/").filter((s) => s !== "");
  return ["/", ...segments.map((_, i) => "/" + segments.slice(0, i + 1).join("/"))];
}

/** A mounted hierarchy: where it is mounted and which cgroup its mount point shows. */
export interface MountedHierarchy {
  mountPoint: string;
  /** The cgroup the mount shows at its mount point ("/" unless it is a bind mount of a sub-tree). */
  mountRoot: string;
}

/** Whether cgroup `path` is `root` or below it. */
export function isWithin(path: string, root: string): boolean {
  return root === "/" || path === root || path.startsWith(root + "/");
}

/** The absolute path of child `name` of cgroup `parent`. */
export function childPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** The directory of cgroup `path` in a mounted hierarchy. */
export function directoryOf(h: MountedHierarchy, path: string): string {
  if (h.mountRoot === "/") return path === "/" ? h.mountPoint : h.mountPoint + path;
  if (path === h.mountRoot) return h.mountPoint;
  if (!path.startsWith(h.mountRoot + "/")) {
    throw failedPrecondition(
      `cgroup ${path} is outside the part of the hierarchy mounted at ${h.mountPoint} (${h.mountRoot})`,
    );
  }
  return h.mountPoint + path.slice(h.mountRoot.length);
}
