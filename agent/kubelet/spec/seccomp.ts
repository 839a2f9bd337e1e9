import path from "node:path";
import { invalidArgument } from "../../../lib/errors.js";
import type { SeccompProfile } from "../../kube/types.js";
import type { SecurityProfile } from "../../../proto/gen/runtime/v1/SecurityProfile.js";

export interface SeccompOptions {
  /** Where Localhost profiles live (kubelet's --seccomp-profile-root); default /var/lib/kubelet/seccomp. */
  profileRoot?: string;
  /** kubelet's --seccomp-default: RuntimeDefault instead of Unconfined when nothing is asked. */
  defaultRuntimeDefault?: boolean;
}

export const defaultSeccompProfileRoot = "/var/lib/kubelet/seccomp";

/**
 * The container's seccomp profile: the container's seccompProfile, else the pod's, else
 * Unconfined (RuntimeDefault with --seccomp-default). Localhost profiles are resolved under the
 * profile root.
 */
export function containerSeccomp(
  containerProfile: SeccompProfile | undefined,
  podProfile: SeccompProfile | undefined,
  options: SeccompOptions,
  field: string,
): SecurityProfile {
  const chosen = containerProfile ?? podProfile;
  const where = containerProfile ? field : "spec.securityContext.seccompProfile";
  if (!chosen) {
    return { profile_type: options.defaultRuntimeDefault ? "RuntimeDefault" : "Unconfined" };
  }
  switch (chosen.type) {
    case "RuntimeDefault":
      return { profile_type: "RuntimeDefault" };
    case "Localhost": {
      if (!chosen.localhostProfile) {
        throw invalidArgument("localhostProfile must be set if seccompProfile type is Localhost.", {
          field: `${where}.localhostProfile`,
        });
      }
      const profile = chosen.localhostProfile;
      if (profile.startsWith("/") || profile.split("/").includes("..")) {
        throw invalidArgument(
          `localhostProfile ${JSON.stringify(profile)} must be a relative path without '..'`,
          { field: `${where}.localhostProfile` },
        );
      }
      const root = options.profileRoot ?? defaultSeccompProfileRoot;
      return { profile_type: "Localhost", localhost_ref: path.posix.join(root, profile) };
    }
    default:
      return { profile_type: "Unconfined" };
  }
}
