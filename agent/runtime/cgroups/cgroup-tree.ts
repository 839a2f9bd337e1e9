import { errnoCode, failedPrecondition, internal } from "../../../lib/errors.js";
import type { CgroupFs } from "./cgroup-fs.js";
import { parsePids, readControl } from "./control-files.js";

// Operations on one cgroup given as its directories, one per hierarchy: the same on v1 and v2.

/** `dir` and every cgroup below it, deepest first (the order rmdir needs); [] if absent. */
export async function subtreeDeepestFirst(fs: CgroupFs, dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.subdirs(dir);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return [];
    throw internal(`cannot list cgroup ${dir}: ${errnoCode(err) ?? String(err)}`, { cause: err });
  }
  const below: string[] = [];
  for (const name of names) below.push(...(await subtreeDeepestFirst(fs, `${dir}/${name}`)));
  return [...below, dir];
}

/** Makes each directory that is missing, in order (parents first). */
export async function makeDirs(fs: CgroupFs, dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    try {
      await fs.mkdir(dir);
    } catch (err) {
      if (errnoCode(err) === "EEXIST") continue;
      throw internal(`cannot create cgroup ${dir}: ${errnoCode(err) ?? String(err)}`, {
        cause: err,
      });
    }
  }
}

export async function existsAnywhere(fs: CgroupFs, dirs: string[]): Promise<boolean> {
  for (const dir of dirs) if (await fs.exists(dir)) return true;
  return false;
}

/** Names of child cgroups present in any of the directories. */
export async function childNames(fs: CgroupFs, dirs: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of dirs) for (const n of await fs.subdirs(dir).catch(() => [])) names.add(n);
  return [...names].sort();
}

/** Processes in the trees below the directories (union; a process may sit in some hierarchies only). */
export async function treePids(fs: CgroupFs, dirs: string[]): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of dirs) {
    for (const d of await subtreeDeepestFirst(fs, dir)) {
      for (const pid of parsePids(await readControl(fs, `${d}/cgroup.procs`))) pids.add(pid);
    }
  }
  return [...pids].sort((a, b) => a - b);
}

export interface RemoveOptions {
  /** How long EBUSY is retried while processes exit (ms). */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  /** The cgroup path, for messages. */
  path: string;
}

/**
 * rmdir of each tree, leaf first. ENOENT counts as done (idempotent, and a concurrent remover
 * may win); EBUSY is retried until the deadline, then reported with the processes still inside.
 */
export async function removeTrees(
  fs: CgroupFs,
  dirs: string[],
  options: RemoveOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let pending = [...dirs];
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const busy: string[] = [];
    for (const dir of pending) {
      if (!(await removeTree(fs, dir))) busy.push(dir);
    }
    if (busy.length === 0) return;
    pending = busy;
    if (Date.now() >= deadline) break;
    await options.sleep(delay);
  }
  const pids = await treePids(fs, pending);
  const where = pending.join(", ");
  throw failedPrecondition(
    pids.length > 0
      ? `cannot remove cgroup ${options.path}: processes ${pids.join(", ")} are still in it (${where})`
      : `cannot remove cgroup ${options.path}: still busy after ${options.timeoutMs} ms (${where})`,
  );
}

/** True when the tree is gone; false when some cgroup in it is still busy. */
async function removeTree(fs: CgroupFs, dir: string): Promise<boolean> {
  for (const d of await subtreeDeepestFirst(fs, dir)) {
    try {
      await fs.rmdir(d);
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOENT") continue;
      if (code === "EBUSY") return false;
      throw internal(`cannot remove cgroup ${d}: ${code ?? String(err)}`, { cause: err });
    }
  }
  return true;
}
