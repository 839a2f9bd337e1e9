import fs, { type Stats } from "node:fs";
import path from "node:path";
import { invalidArgument } from "../../lib/errors.js";

/** A lower snapshot as the layer being applied sees it: its files and the dirs it made opaque. */
export interface LowerLayer {
  dir: string;
  opaque: ReadonlySet<string>;
}

/** A directory of the merged tree: its real path (symlinks resolved) and the lowers that hold it. */
export interface ResolvedDir {
  rel: string;
  /** Indexes of lowers in which this directory exists as a real, visible directory, top first. */
  live: number[];
  parent?: ResolvedDir;
}

export interface Found {
  /** -1 for the layer being written, else the index of the lower it comes from. */
  layer: number;
  path: string;
  stat: Stats;
  /** For a directory: the lowers it is merged from. */
  live: number[];
}

const maxSymlinkHops = 40;

export function isWhiteoutDevice(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/**
 * The tree a layer is applied onto, as overlayfs will show it: the layer's own directory on top
 * of its lowers. Paths are resolved here the way the kernel would resolve them inside the
 * container's root, except that a symlink pointing out of the root (absolute, or climbing above
 * it) is an error: writing through it would write outside the snapshot.
 */
export class MergedView {
  readonly whiteouts = new Set<string>();
  readonly opaque = new Set<string>();
  private readonly cache = new Map<string, ResolvedDir>();
  private readonly root: ResolvedDir;

  constructor(
    readonly upper: string,
    readonly lowers: LowerLayer[],
  ) {
    this.root = { rel: "", live: lowers.map((_, i) => i) };
  }

  /** Forget resolved directories: a symlink or directory in the layer was replaced. */
  invalidate(): void {
    this.cache.clear();
  }

  /** Resolves a directory path (already split, no "." or ".."); missing parts resolve as new dirs. */
  resolveDir(parts: string[], entry: string): ResolvedDir {
    let queue = [...parts];
    let current = this.root;
    let hops = 0;
    while (queue.length > 0) {
      const name = queue.shift() as string;
      const rel = join(current.rel, name);
      const cached = this.cache.get(rel);
      if (cached) {
        current = cached;
        continue;
      }
      const found = this.lookup(current, name);
      if (found === undefined) {
        current = { rel, live: [], parent: current };
      } else if (found.stat.isSymbolicLink()) {
        if (++hops > maxSymlinkHops) {
          throw invalidArgument(
            `entry ${JSON.stringify(entry)}: too many levels of symbolic links`,
          );
        }
        const target = fs.readlinkSync(found.path);
        const resolved = insideRoot(current.rel, target);
        if (resolved === undefined) {
          throw invalidArgument(
            `entry ${JSON.stringify(entry)}: writes through symlink ${JSON.stringify(rel)} -> ${JSON.stringify(target)}, outside the snapshot`,
          );
        }
        queue = [...split(resolved), ...queue];
        current = this.root;
        continue;
      } else if (found.stat.isDirectory()) {
        current = { rel, live: found.live, parent: current };
      } else {
        throw invalidArgument(
          `entry ${JSON.stringify(entry)}: ${JSON.stringify(rel)} is not a directory`,
        );
      }
      this.cache.set(rel, current);
    }
    return current;
  }

  /** What the merged tree holds at `name` inside `dir`, or undefined when nothing is visible there. */
  lookup(dir: ResolvedDir, name: string): Found | undefined {
    const rel = join(dir.rel, name);
    let top: Found | undefined;
    const upperStat = lstat(path.join(this.upper, rel));
    if (upperStat) {
      top = { layer: -1, path: path.join(this.upper, rel), stat: upperStat, live: [] };
      if (!upperStat.isDirectory() || this.opaque.has(rel)) return top;
    } else if (this.whiteouts.has(rel)) {
      return undefined;
    }
    for (const index of dir.live) {
      const lower = this.lowers[index];
      const file = path.join(lower.dir, rel);
      const st = lstat(file);
      if (!st) continue;
      if (isWhiteoutDevice(st)) break;
      if (top === undefined) {
        top = { layer: index, path: file, stat: st, live: [] };
        if (!st.isDirectory()) return top;
      } else if (!st.isDirectory()) {
        break;
      }
      top.live.push(index);
      if (lower.opaque.has(rel)) break;
    }
    return top;
  }
}

export function join(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

export function split(rel: string): string[] {
  return rel.split("/").filter((p) => p !== "" && p !== ".");
}

/** A symlink target resolved against the directory holding it, or undefined if it leaves the root. */
function insideRoot(dir: string, target: string): string | undefined {
  if (target.startsWith("/")) return undefined;
  const joined = path.posix.normalize(path.posix.join(dir === "" ? "." : dir, target));
  if (joined === ".." || joined.startsWith("../")) return undefined;
  return joined === "." ? "" : joined;
}

function lstat(file: string): Stats | undefined {
  return fs.lstatSync(file, { throwIfNoEntry: false });
}
