import { reopenContainerLog } from "../../cri/runtime/reopen-container-log.js";
import { refreshContainer } from "../../runtime/container/refresh-container.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { containerIdentity } from "../spec/runtime-identity.js";

export interface ContainerLogEntry {
  id: string;
  /** Absolute CRI log path. */
  logPath: string;
  /** Whether it runs now (an exit conmon recorded since counts). */
  running: boolean;
}

/** What the log manager asks of the runtime. */
export interface LogRotationRuntime {
  /** The kubelet's containers (every state) that have a log file. */
  containers(): Promise<ContainerLogEntry[]>;
  /** CRI ReopenContainerLog. */
  reopenContainerLog(containerId: string): Promise<void>;
}

/**
 * The agent's runtime in-process: its container records, the ones the kubelet made (they carry
 * a pod uid), brought up to date with their exit files; reopening through the CRI handler.
 */
export function runtimeLogPort(runtime: RuntimeDeps): LogRotationRuntime {
  return {
    async containers() {
      const mine = runtime.containers
        .list()
        .filter((c) => c.logPath.startsWith("/") && containerIdentity(c) !== undefined);
      // A container removed meanwhile cannot be refreshed: it is left out this time.
      const now = await Promise.all(
        mine.map((c) => refreshContainer(runtime, c).catch(() => undefined)),
      );
      return now
        .filter((c) => c !== undefined)
        .map((c) => ({ id: c.id, logPath: c.logPath, running: c.state === "running" }));
    },
    async reopenContainerLog(containerId) {
      await reopenContainerLog(runtime, { container_id: containerId });
    },
  };
}
