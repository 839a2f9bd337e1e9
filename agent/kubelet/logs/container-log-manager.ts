import type { Logger } from "../../../lib/logger.js";
import { nodeLogFs, type LogFs } from "./log-fs.js";
import type { LogRotationPolicy } from "./log-rotation-policy.js";
import { rotateLogsPass } from "./rotate-logs-pass.js";
import type { LogRotationRuntime } from "./runtime-log-port.js";

export interface ContainerLogManagerOptions {
  runtime: LogRotationRuntime;
  policy: LogRotationPolicy;
  logger: Logger;
  /** Default: the real file system and clock. */
  fs?: LogFs;
  now?: () => Date;
}

export interface ContainerLogManager {
  /** One pass now (after the one in flight, if any). */
  rotateLogs(): Promise<void>;
  /** No more passes; resolves once the one in flight has finished. */
  stop(): Promise<void>;
}

/** kubelet's container log manager: a rotation pass every policy.monitorIntervalMs. */
export function startContainerLogManager(options: ContainerLogManagerOptions): ContainerLogManager {
  const { logger, policy } = options;
  const deps = {
    runtime: options.runtime,
    policy,
    fs: options.fs ?? nodeLogFs,
    now: options.now ?? (() => new Date()),
    logger,
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let last: Promise<void> = Promise.resolve();
  const rotateLogs = () => {
    last = last.then(() =>
      rotateLogsPass(deps).catch((err: Error) => {
        logger.warn("container log rotation failed", { error: err.message });
      }),
    );
    return last;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      void rotateLogs().finally(() => !stopped && schedule());
    }, policy.monitorIntervalMs);
  };
  schedule();
  logger.info("container log rotation", {
    maxSizeBytes: policy.maxSizeBytes,
    maxFiles: policy.maxFiles,
    monitorIntervalMs: policy.monitorIntervalMs,
  });
  return {
    rotateLogs,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await last;
    },
  };
}
