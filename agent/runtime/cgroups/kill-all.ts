import { errnoCode, internal } from "../../../lib/errors.js";

/** Stops every task of a cgroup tree from running (and so from forking) until thawed. */
export interface Freezer {
  /** Freezes; resolves false if the kernel did not confirm within its timeout (tasks in D state). */
  freeze(): Promise<boolean>;
  thaw(): Promise<void>;
}

export interface KillAllOptions {
  freezer?: Freezer;
  pids: () => Promise<number[]>;
  signal: NodeJS.Signals;
  kill: (pid: number, signal: NodeJS.Signals) => void;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Signals every process of a cgroup tree. Frozen, nothing can fork a replacement between reading
 * the pid list and signalling it; a pending SIGKILL takes effect as soon as the tree is thawed.
 * Without a freezer, SIGKILL is repeated until the tree is empty (a few rounds). Returns the
 * number of distinct processes signalled.
 */
export async function killAll(options: KillAllOptions): Promise<number> {
  const signalled = new Set<number>();
  const signalAll = async () => {
    for (const pid of await options.pids()) {
      if (pid === process.pid) continue;
      if (send(options.kill, pid, options.signal)) signalled.add(pid);
    }
  };
  if (options.freezer) {
    await options.freezer.freeze();
    try {
      await signalAll();
    } finally {
      await options.freezer.thaw();
    }
    return signalled.size;
  }
  const rounds = options.signal === "SIGKILL" ? 10 : 1;
  for (let i = 0; i < rounds; i++) {
    const before = signalled.size;
    await signalAll();
    if (i > 0 && signalled.size === before) break;
    if (i + 1 < rounds) await options.sleep(10);
  }
  return signalled.size;
}

/** True if the signal was delivered; a process that already exited (ESRCH) is not an error. */
function send(kill: KillAllOptions["kill"], pid: number, signal: NodeJS.Signals): boolean {
  try {
    kill(pid, signal);
    return true;
  } catch (err) {
    if (errnoCode(err) === "ESRCH") return false;
    throw internal(`cannot send ${signal} to process ${pid}: ${errnoCode(err) ?? String(err)}`, {
      cause: err,
    });
  }
}

/** Polls `check` with a short backoff until it is true or `timeoutMs` passes. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(delay);
  }
}
