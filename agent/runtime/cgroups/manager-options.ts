import { setTimeout as sleep } from "node:timers/promises";
import type { CgroupFs } from "./cgroup-fs.js";
import { nodeCgroupFs } from "./cgroup-fs.js";

/** What a cgroup manager works with besides the layout; tests replace each part. */
export interface CgroupManagerOptions {
  fs?: CgroupFs;
  /** Sends a signal (default process.kill); must throw an ESRCH error for a process that is gone. */
  kill?: (pid: number, signal: NodeJS.Signals) => void;
  sleep?: (ms: number) => Promise<void>;
  /** How long remove() retries EBUSY while processes exit (default 2000 ms). */
  removeTimeoutMs?: number;
  /** How long killAll() waits for the freezer to confirm (default 2000 ms). */
  freezeTimeoutMs?: number;
}

export type ResolvedOptions = Required<CgroupManagerOptions>;

export function resolveOptions(options: CgroupManagerOptions = {}): ResolvedOptions {
  return {
    fs: options.fs ?? nodeCgroupFs,
    kill: options.kill ?? ((pid, signal) => process.kill(pid, signal)),
    sleep: options.sleep ?? ((ms) => sleep(ms)),
    removeTimeoutMs: options.removeTimeoutMs ?? 2000,
    freezeTimeoutMs: options.freezeTimeoutMs ?? 2000,
  };
}
