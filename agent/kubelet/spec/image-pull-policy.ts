import type { Container } from "../../kube/types.js";
import { parseReference } from "../../images/reference.js";

export type PullPolicy = "Always" | "IfNotPresent" | "Never";

/**
 * The pull policy Kubernetes gives a container: its own when set; otherwise Always for an image
 * tagged :latest or with neither tag nor digest (which means latest), IfNotPresent for any other
 * tag or a bare digest. An invalid image reference is an InvalidArgument error naming the field.
 */
export function effectivePullPolicy(container: Container, field = "image"): PullPolicy {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const ref = parseReference((container.image ?? "").trim(), field);
  const tag = ref.tag ?? (ref.digest ? undefined : "latest");
  return tag === "latest" ? "Always" : "IfNotPresent";
}
