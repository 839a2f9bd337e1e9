import type { ContainerMetadata__Output } from "../../proto/gen/runtime/v1/ContainerMetadata.js";
import type { Mount__Output } from "../../proto/gen/runtime/v1/Mount.js";
import type { PodSandboxConfig__Output } from "../../proto/gen/runtime/v1/PodSandboxConfig.js";
import type { PidHolder } from "./sandbox/pid-holder.js";
import type { SandboxFiles } from "./sandbox/sandbox-files.js";

/** Unix nanoseconds as a decimal string, the way CRI carries int64 timestamps. */
export type Nanos = string;

export function nowNanos(): Nanos {
  return (
    BigInt(Date.now()) * 1_000_000n +
    BigInt(process.hrtime.bigint() % 1_000_000n)
  ).toString();
}

/**
 * A pod sandbox as persisted. "creating" and "removing" mark operations in flight: a record
 * found in either state after a crash is finished (removed) by recovery.
 */
export interface SandboxRecord {
  id: string;
  state: "creating" | "ready" | "notready" | "removing";
  createdAt: Nanos;
  config: PodSandboxConfig__Output;
  /** Pinned namespaces, by kind; a kind absent is the host's. */
  namespaces: { net?: string; ipc?: string; uts?: string };
  /** The init of the pod's shared PID namespace, when its containers share one (see pid-holder). */
  pidHolder?: PidHolder;
  files: SandboxFiles;
  /** Absolute cgroup the pod's containers go under. */
  cgroup: string;
  /** Whether Berth made that cgroup (and so removes it with the pod). */
  ownsCgroup: boolean;
  runtimeHandler: string;
  /**
   * The pod's network attachment: "attaching" is written before the CNI ADD, so a crash
   * mid-way is detached by recovery; absent for a pod on the host network.
   */
  network?: { state: "attaching" | "attached" | "detached"; ips: string[] };
}

export type ContainerRecordState = "creating" | "created" | "running" | "exited" | "removing";

/** A container as persisted; its spec is the bundle's config.json. */
export interface ContainerRecord {
  id: string;
  sandboxId: string;
  state: ContainerRecordState;
  metadata: ContainerMetadata__Output;
  /** The image as the client named it, and the image id it resolved to. */
  imageRef: string;
  imageId: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount__Output[];
  /** Absolute CRI log path, or "" when the pod has no log directory. */
  logPath: string;
  cgroup: string;
  stopSignal: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  createdAt: Nanos;
  startedAt?: Nanos;
  finishedAt?: Nanos;
  pid?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
}
