import { asBerthError, BerthError, type ErrorKind } from "../../../lib/errors.js";
import type { Container, Pod } from "../../kube/types.js";
import { formatPod } from "./pod-containers.js";

/**
 * Why a container's CRI config could not be made — a missing ConfigMap key, a bad fieldRef, an
 * image that would run as root against runAsNonRoot. The sync layer reports it as the container's
 * waiting reason CreateContainerConfigError with this message, and retries on the next sync.
 */
export class ContainerConfigError extends BerthError {
  readonly reason = "CreateContainerConfigError";

  constructor(kind: ErrorKind, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(kind, message, options);
  }
}

/** kubelet's suffix naming the pod and container: (pod: "name_ns(uid)", container: app). */
export function podContainerSuffix(pod: Pod, container: Container): string {
  return `(pod: ${JSON.stringify(formatPod(pod))}, container: ${container.name})`;
}

/**
 * Any failure while building the container's config, as a ContainerConfigError with kubelet's
 * wording (`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`): the pod and
 * container are already in the status and event it lands in.
 */
export function asContainerConfigError(err: unknown): ContainerConfigError {
  if (err instanceof ContainerConfigError) return err;
  const e = asBerthError(err);
  return new ContainerConfigError(e.kind, e.message, { field: e.field, cause: err });
}
