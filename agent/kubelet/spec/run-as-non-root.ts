import type { Container, Pod } from "../../kube/types.js";
import { ContainerConfigError, podContainerSuffix } from "./container-config-error.js";
import { containerField } from "./pod-containers.js";
import { effectiveSecurityContext } from "./security-context.js";

const maxUserId = 2147483647n;

/**
 * Who the image runs as, the way the CRI reports it from the image config's User ("uid",
 * "uid:gid", "name", "name:group"): a numeric uid, or else a name. An image without a User runs
 * as root, uid 0.
 */
export function imageUserIdentity(imageUser: string): { uid?: bigint; username?: string } {
  const user = imageUser.split(":")[0];
  if (user === "") return { uid: 0n };
  return /^\d+$/.test(user) ? { uid: BigInt(user) } : { username: user };
}

/**
 * kubelet's verifyRunAsNonRoot, with its messages: when the effective runAsNonRoot is true, the
 * effective runAsUser must not be 0; without a runAsUser the image's user must be a numeric,
 * non-zero uid (a name cannot be checked without reading the image's /etc/passwd).
 */
export function verifyRunAsNonRoot(pod: Pod, container: Container, imageUser: string): void {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.runAsNonRoot !== true) return;
  const suffix = podContainerSuffix(pod, container);
  const fail = (message: string) =>
    new ContainerConfigError("FailedPrecondition", `${message} ${suffix}`, {
      field: `${containerField(pod, container)}.securityContext.runAsNonRoot`,
    });
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) throw fail("container's runAsUser breaks non-root policy");
    return;
  }
  const { uid, username } = imageUserIdentity(imageUser);
  if (uid === undefined) {
    throw fail(
      `container has runAsNonRoot and image has non-numeric user (${username}), cannot verify user is non-root`,
    );
  }
  if (uid === 0n) throw fail("container has runAsNonRoot and image will run as root");
  if (uid > maxUserId) {
    throw fail(
      `container has runAsNonRoot and image has an invalid user id (${uid}). (Must be 1-(${maxUserId})): must be between 0 and ${maxUserId}, inclusive`,
    );
  }
}
