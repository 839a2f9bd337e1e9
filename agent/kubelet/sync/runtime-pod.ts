/**
 * A pod as the runtime has it (kubelet's kubecontainer.PodStatus): its sandboxes and containers,
 * newest first, read back through the kubelet's labels. Times are epoch milliseconds.
 */
export interface RuntimePod {
  uid: string;
  name: string;
  namespace: string;
  /** Newest first. */
  sandboxes: RuntimeSandbox[];
  /** Newest first; every instance of every container, in any sandbox. */
  containers: RuntimeContainer[];
  /** The IPs of the newest sandbox while it is ready, primary first. */
  ips: string[];
}

export interface RuntimeSandbox {
  id: string;
  ready: boolean;
  attempt: number;
  createdAt: number;
  /** Whether it shares the node's network namespace (then it has no IPs of its own). */
  hostNetwork: boolean;
}

export type RuntimeContainerState = "created" | "running" | "exited" | "unknown";

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  state: RuntimeContainerState;
  hash: string;
  restartCount: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode: number;
  /** The runtime's reason (Completed, Error, OOMKilled) and message (the termination message). */
  reason: string;
  message: string;
  image: string;
  /** The image's digest reference or id: the API's imageID. */
  imageRef: string;
  /** Host path of its termination-message file and log, to read the message back from. */
  terminationMessageHostPath?: string;
  terminationMessagePolicy?: string;
  logPath: string;
  /** Grace period its labels carry, for stopping it when its pod is no longer known. */
  terminationGracePeriodSeconds?: number;
}

/** The newest instance of the named container, in any sandbox. */
export function latestContainer(pod: RuntimePod, name: string): RuntimeContainer | undefined {
  return pod.containers.find((c) => c.name === name);
}
