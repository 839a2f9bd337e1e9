import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { internal } from "../../../lib/errors.js";
import { isProcessAlive, processStartTime } from "../../images/process-alive.js";

export interface PidHolder {
  pid: number;
  startTime: string;
}

/**
 * A pod that shares one PID namespace among its containers needs a process to be that
 * namespace's init: a PID namespace dies with its init and cannot be pinned like the others.
 * This is the one case where Berth keeps a process per pod (`sleep infinity` as pid 1), detached
 * so it outlives agent restarts; containers join it through /proc/<pid>/ns/pid.
 */
export async function startPidHolder(): Promise<PidHolder> {
  const unshare = spawn("unshare", ["--pid", "--fork", "sleep", "infinity"], {
    detached: true,
    stdio: "ignore",
  });
  unshare.unref();
  const parent = unshare.pid;
  if (parent === undefined) throw internal("unshare did not start");
  for (let i = 0; i < 200; i++) {
    const child = childOf(parent);
    if (child !== undefined) return { pid: child, startTime: processStartTime(child) ?? "" };
    await sleep(5);
  }
  process.kill(parent, "SIGKILL");
  throw internal("the pod's PID namespace holder did not start");
}

export function pidNamespacePath(holder: PidHolder): string {
  return `/proc/${holder.pid}/ns/pid`;
}

export function isHolderAlive(holder: PidHolder): boolean {
  return isProcessAlive(holder.pid, holder.startTime);
}

/** Ends the holder, and with it every process left in the pod's PID namespace. */
export function stopPidHolder(holder: PidHolder): void {
  if (!isHolderAlive(holder)) return;
  try {
    process.kill(holder.pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
}

function childOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return children ? Number(children.split(" ")[0]) : undefined;
  } catch {
    return undefined;
  }
}
