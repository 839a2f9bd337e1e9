import type { Container, Pod } from "../../kube/types.js";
import { shouldRestartOnFailure } from "./restart-rules.js";
import type { RuntimeContainer } from "./runtime-pod.js";
import type { ProbeResultsPort } from "./sync-ports.js";

export type KillReason =
  "DefinitionChanged" | "LivenessProbe" | "StartupProbe" | "Unknown" | "NotInSpec";

export interface ContainerToKill {
  id: string;
  name: string;
  /** The Killing event's message ("Container app failed liveness probe, will be restarted"). */
  message: string;
  reason: KillReason;
  /** Its spec, when the pod still has one of that name. */
  container?: Container;
}

/** Why a running container must be stopped (spec changed, liveness or startup failed), if at all. */
export function runningKill(
  pod: Pod,
  container: Container,
  latest: RuntimeContainer,
  ctx: { hash(container: Container): string; probes: ProbeResultsPort },
): { info: ContainerToKill; restart: boolean } | undefined {
  let message: string;
  let reason: KillReason;
  let restart = shouldRestartOnFailure(pod);
  if (latest.hash !== "" && latest.hash !== ctx.hash(container)) {
    message = `Container ${container.name} definition changed`;
    reason = "DefinitionChanged";
    restart = true;
  } else if (ctx.probes.liveness(latest.id) === "failure") {
    message = `Container ${container.name} failed liveness probe`;
    reason = "LivenessProbe";
  } else if (ctx.probes.startup(latest.id) === "failure") {
    message = `Container ${container.name} failed startup probe`;
    reason = "StartupProbe";
  } else {
    return undefined;
  }
  if (restart) message = `${message}, will be restarted`;
  return { info: { id: latest.id, name: container.name, message, reason, container }, restart };
}

export function unknownKill(latest: RuntimeContainer, container: Container): ContainerToKill {
  return {
    id: latest.id,
    name: container.name,
    message: `Container is in "unknown" state, try killing it before restart`,
    reason: "Unknown",
    container,
  };
}
