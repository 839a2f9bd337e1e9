import type { SandboxRecord } from "../runtime/records.js";

/** Whether new pods can get a network, and if not, why (the CRI NetworkReady condition). */
export interface NetworkCondition {
  ready: boolean;
  reason: string;
  message: string;
}

/** How a pod sandbox gets its network; the runtime knows nothing of CNI beyond this. */
export interface PodNetwork {
  /** Attaches the pod's pinned network namespace; resolves with its IPs (first = primary). */
  attach(sandbox: SandboxRecord): Promise<string[]>;
  /** Detaches it; harmless to repeat, and works when the namespace is already gone. */
  detach(sandbox: SandboxRecord): Promise<void>;
  condition(): Promise<NetworkCondition>;
  /** Frees what attachments other than `attached` (sandbox ids) left behind, e.g. after a crash. */
  collect(attached: string[]): Promise<void>;
}
