import type { ContainerConfig__Output } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { PodSandboxConfig__Output } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";

/** The image config's "config" object: what an image says about how to run it. */
export interface ImageRunConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  StopSignal?: string;
  Volumes?: Record<string, unknown> | null;
}

/** Namespaces a container joins by path (pinned by the sandbox, or another process's /proc/<pid>/ns/*). */
export interface JoinedNamespaces {
  /** Absent for host network. */
  network?: string;
  /** Absent for host IPC. */
  ipc?: string;
  /** Absent for host UTS (host network pods share the host's hostname). */
  uts?: string;
  /** For POD or TARGET PID namespaces; absent means a new one (CONTAINER) or host (NODE). */
  pid?: string;
}

/** Everything buildSpec needs to turn a CRI CreateContainer request into an OCI runtime spec. */
export interface SpecInput {
  containerId: string;
  sandboxId: string;
  sandbox: PodSandboxConfig__Output;
  container: ContainerConfig__Output;
  image: ImageRunConfig;
  /** The mounted root filesystem (an overlay of the image's snapshots and the container's upper dir). */
  rootfs: string;
  /** Absolute cgroup path for linux.cgroupsPath, e.g. /berth/<pod-cgroup>/<container-id>. */
  cgroupsPath: string;
  namespaces: JoinedNamespaces;
  /** Files the sandbox generated, bind-mounted into every container of the pod. */
  sandboxFiles: { hostname: string; hosts: string; resolvConf: string; shm?: string };
  /** The OCI runtime's seccomp support; false where the kernel lacks seccomp. */
  seccompAvailable: boolean;
}
