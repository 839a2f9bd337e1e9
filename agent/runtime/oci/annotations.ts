import type { ContainerConfig__Output } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { PodSandboxConfig__Output } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";

/** The io.kubernetes.cri.* annotations containerd puts on a container's OCI spec. */
export function criAnnotations(
  sandboxId: string,
  sandbox: PodSandboxConfig__Output,
  container: ContainerConfig__Output,
): Record<string, string> {
  return {
    "io.kubernetes.cri.container-type": "container",
    "io.kubernetes.cri.sandbox-id": sandboxId,
    "io.kubernetes.cri.sandbox-name": sandbox.metadata?.name ?? "",
    "io.kubernetes.cri.sandbox-namespace": sandbox.metadata?.namespace ?? "",
    "io.kubernetes.cri.sandbox-uid": sandbox.metadata?.uid ?? "",
    "io.kubernetes.cri.container-name": container.metadata?.name ?? "",
    "io.kubernetes.cri.image-name":
      container.image?.user_specified_image || container.image?.image || "",
  };
}
