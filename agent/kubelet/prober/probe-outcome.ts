import { kubernetesVersion } from "../node/node-info.js";

/** The probe kinds, as kubelet names them in events ("Liveness probe failed: …"). */
export type ProbeKind = "liveness" | "readiness" | "startup";

export const probeKinds: readonly ProbeKind[] = ["liveness", "readiness", "startup"];

export function probeKindTitle(kind: ProbeKind): string {
  return kind[0].toUpperCase() + kind.slice(1);
}

/**
 * One probe's answer. A "warning" counts as a success (an HTTP redirect to another host); an
 * "unknown" as a failure. A probe that could not be run at all throws instead (kubelet's
 * "errored"), and its result is thrown away.
 */
export interface ProbeOutcome {
  status: "success" | "warning" | "failure" | "unknown";
  /** What the event shows: the command's output, the HTTP status, the dial error… */
  output: string;
}

/** kubelet's User-Agent for probes and HTTP lifecycle hooks: kube-probe/1.32, kube-lifecycle/1.32. */
export function kubeUserAgent(purpose: "probe" | "lifecycle"): string {
  const [major, minor] = kubernetesVersion.replace(/^v/, "").split(".");
  return `kube-${purpose}/${major}.${minor}`;
}

/** Go's rendering of a duration, as kubelet's messages show it ("1s", "500ms", "1m30s"). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
