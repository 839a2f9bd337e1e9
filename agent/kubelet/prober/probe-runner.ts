import type { Logger } from "../../../lib/logger.js";
import type { Container, ObjectReference, Pod, Probe } from "../../kube/types.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { containerRef } from "../sync/sync-deps.js";
import type { ProbeResult } from "../sync/sync-ports.js";
import { resolveContainerPort } from "./container-port.js";
import { execProbe } from "./exec-probe.js";
import { formatPod } from "./format-pod.js";
import { grpcProbe } from "./grpc-probe.js";
import { httpProbe } from "./http-probe.js";
import { httpGetRequest } from "./http-request.js";
import { probeKindTitle, type ProbeKind, type ProbeOutcome } from "./probe-outcome.js";
import { tcpProbe } from "./tcp-probe.js";

export type RecordEvent = (
  ref: ObjectReference,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
) => void;

export interface ProbeRunnerDeps {
  runtime: Pick<KubeletRuntime, "execSync">;
  recordEvent: RecordEvent;
  logger: Logger;
}

export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** The pod's IP, for probes without a host of their own. */
  podIP?: string;
}

/** kubelet retries a probe that could not be run (not one that failed) this many times in all. */
const maxAttempts = 3;

/**
 * kubelet's prober.probe: runs the probe (retrying one that errored), records its Warning event
 * (Unhealthy "Liveness probe failed: …" or "… errored: …", ProbeWarning "… warning: …") and
 * returns the result — undefined when the probe errored every time, so the caller discards it.
 */
export async function runProbe(
  deps: ProbeRunnerDeps,
  kind: ProbeKind,
  probe: Probe,
  timeoutSeconds: number,
  target: ProbeTarget,
): Promise<ProbeResult | undefined> {
  const title = probeKindTitle(kind);
  const event = (reason: string, message: string) =>
    deps.recordEvent(containerRef(target.pod, target.container), "Warning", reason, message);
  let outcome: ProbeOutcome | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts && !outcome; attempt++) {
    try {
      outcome = await runHandler(deps, probe, timeoutSeconds, target);
    } catch (err) {
      lastError = err;
    }
  }
  if (!outcome) {
    const message = lastError instanceof Error ? lastError.message : String(lastError);
    deps.logger.debug("probe errored", { kind, container: target.containerId, error: message });
    event("Unhealthy", `${title} probe errored: ${message}`);
    return undefined;
  }
  switch (outcome.status) {
    case "success":
      return "success";
    case "warning":
      event("ProbeWarning", `${title} probe warning: ${outcome.output}`);
      return "success";
    case "failure":
      event("Unhealthy", `${title} probe failed: ${outcome.output}`);
      return "failure";
    default:
      return "failure";
  }
}

function runHandler(
  deps: ProbeRunnerDeps,
  probe: Probe,
  timeoutSeconds: number,
  { pod, container, containerId, podIP }: ProbeTarget,
): Promise<ProbeOutcome> {
  const timeoutMs = timeoutSeconds * 1000;
  if (probe.exec) {
    return execProbe(
      deps.runtime,
      container,
      containerId,
      probe.exec.command ?? [],
      timeoutSeconds,
    );
  }
  if (probe.httpGet) {
    return httpProbe(httpGetRequest(probe.httpGet, container, podIP, "probe"), timeoutMs);
  }
  if (probe.tcpSocket) {
    const port = resolveContainerPort(probe.tcpSocket.port, container);
    return tcpProbe(requireHost(probe.tcpSocket.host || podIP), port, timeoutMs);
  }
  if (probe.grpc) {
    const port = resolveContainerPort(probe.grpc.port, container);
    return grpcProbe(requireHost(podIP), port, probe.grpc.service ?? "", timeoutMs);
  }
  throw new Error(`missing probe handler for ${formatPod(pod)}:${container.name}`);
}

function requireHost(host: string | undefined): string {
  if (!host) throw new Error("the pod has no IP yet and the probe sets no host");
  return host;
}
