import type { Container, Pod, SecurityContext } from "../../kube/types.js";
import type { LinuxContainerSecurityContext } from "../../../proto/gen/runtime/v1/LinuxContainerSecurityContext.js";
import type { SELinuxOption } from "../../../proto/gen/runtime/v1/SELinuxOption.js";
import { defaultMaskedPaths, defaultReadonlyPaths } from "../../runtime/oci/masked-paths.js";
import { podNamespaceOptions } from "./namespace-options.js";
import { containerField } from "./pod-containers.js";
import { containerSeccomp, type SeccompOptions } from "./seccomp.js";

// Kubernetes' defaults for procMount Default are the runtime's (Docker's) own lists.
export { defaultMaskedPaths, defaultReadonlyPaths };

/**
 * The container's security context with the pod's filled in where the container sets nothing:
 * runAsUser, runAsGroup, runAsNonRoot and seLinuxOptions come from the pod; the rest is the
 * container's own.
 */
export function effectiveSecurityContext(pod: Pod, container: Container): SecurityContext {
  const podSc = pod.spec?.securityContext ?? {};
  const own = container.securityContext ?? {};
  return {
    ...own,
    runAsUser: own.runAsUser ?? podSc.runAsUser,
    runAsGroup: own.runAsGroup ?? podSc.runAsGroup,
    runAsNonRoot: own.runAsNonRoot ?? podSc.runAsNonRoot,
    seLinuxOptions: own.seLinuxOptions ?? podSc.seLinuxOptions,
  };
}

/**
 * no_new_privs: set when allowPrivilegeEscalation is false. Kubernetes documents escalation as
 * always allowed for privileged containers and those adding CAP_SYS_ADMIN.
 */
export function noNewPrivs(sc: SecurityContext): boolean {
  const adds = sc.capabilities?.add ?? [];
  if (sc.privileged === true || adds.some((c) => /^(CAP_)?SYS_ADMIN$/.test(c))) return false;
  return sc.allowPrivilegeEscalation === false;
}

export function seLinuxOption(
  options: Record<string, string> | undefined,
): SELinuxOption | undefined {
  if (!options) return undefined;
  return {
    user: options.user ?? "",
    role: options.role ?? "",
    type: options.type ?? "",
    level: options.level ?? "",
  };
}

/** The pod's supplemental groups as kubelet sends them: fsGroup first, then supplementalGroups. */
export function podSupplementalGroups(pod: Pod): string[] {
  const sc = pod.spec?.securityContext;
  const groups = [
    ...(sc?.fsGroup !== undefined ? [sc.fsGroup] : []),
    ...(sc?.supplementalGroups ?? []),
  ];
  return groups.map(String);
}

/**
 * linux.security_context for a container, as kubelet's determineEffectiveSecurityContext. The
 * user is left to the runtime (the image's USER) when neither container nor pod sets runAsUser.
 */
export function containerSecurityContext(
  pod: Pod,
  container: Container,
  seccomp: SeccompOptions = {},
): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const unmasked = sc.procMount === "Unmasked";
  const field = `${containerField(pod, container)}.securityContext.seccompProfile`;
  const selinux = seLinuxOption(sc.seLinuxOptions);
  return {
    ...(sc.capabilities
      ? {
          capabilities: {
            add_capabilities: [...(sc.capabilities.add ?? [])],
            drop_capabilities: [...(sc.capabilities.drop ?? [])],
          },
        }
      : {}),
    privileged: sc.privileged === true,
    readonly_rootfs: sc.readOnlyRootFilesystem === true,
    ...(sc.runAsUser !== undefined ? { run_as_user: { value: String(sc.runAsUser) } } : {}),
    ...(sc.runAsGroup !== undefined ? { run_as_group: { value: String(sc.runAsGroup) } } : {}),
    ...(selinux ? { selinux_options: selinux } : {}),
    seccomp: containerSeccomp(
      container.securityContext?.seccompProfile,
      pod.spec?.securityContext?.seccompProfile,
      seccomp,
      field,
    ),
    namespace_options: podNamespaceOptions(pod),
    supplemental_groups: podSupplementalGroups(pod),
    no_new_privs: noNewPrivs(sc),
    masked_paths: unmasked ? [] : [...defaultMaskedPaths],
    readonly_paths: unmasked ? [] : [...defaultReadonlyPaths],
  };
}
