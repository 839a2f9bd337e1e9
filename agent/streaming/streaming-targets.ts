/** A pod's container as the streaming API acts on it: the current attempt and its log files. */
export interface ContainerTarget {
  /** The runtime container of the current attempt. */
  containerId: string;
  sandboxId: string;
  /** Whether it runs now: exec and attach need it, and a log follower stops when it stops. */
  running: boolean;
  /** The CRI log of the current attempt ("" when the pod keeps no logs). */
  logPath: string;
  /** The log of the attempt before (`<container>/<restartCount-1>.log`), if there was one. */
  previousLogPath?: string;
  /** Whether the container was created with a TTY and an open stdin (what attach can use). */
  tty: boolean;
  stdin: boolean;
}

export interface SandboxTarget {
  sandboxId: string;
  /** The pod's pinned network namespace; undefined for a pod on the host's network. */
  netnsPath?: string;
}

/**
 * Resolves the names in a streaming URL to runtime objects. The kubelet implements it from the
 * pods it runs; undefined means no such pod (or container) on this node.
 */
export interface StreamingTargets {
  container(
    namespace: string,
    pod: string,
    container: string,
  ): Promise<ContainerTarget | undefined>;
  sandbox(namespace: string, pod: string): Promise<SandboxTarget | undefined>;
}
