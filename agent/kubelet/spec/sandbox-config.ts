import { invalidArgument } from "../../../lib/errors.js";
import type { Pod } from "../../kube/types.js";
import type { LinuxPodSandboxConfig } from "../../../proto/gen/runtime/v1/LinuxPodSandboxConfig.js";
import type { PodSandboxConfig } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";
import { podNamespaceOptions } from "./namespace-options.js";
import { podLogDirectory } from "./log-paths.js";
import { podDnsConfig, type PodDnsOptions } from "./pod-dns.js";
import { kernelHostname } from "./pod-hostname.js";
import { sandboxAnnotations, sandboxLabels } from "./pod-labels.js";
import { podPortMappings } from "./port-mappings.js";
import { sandboxLinuxResources, type LinuxResourceOptions } from "./resources.js";
import { podSupplementalGroups, seLinuxOption } from "./security-context.js";
import type { SpecEvent } from "./spec-event.js";

export interface SandboxConfigOptions extends PodDnsOptions, LinuxResourceOptions {
  /** 0 for the pod's first sandbox, +1 for each one made after it. */
  attempt: number;
  /** kubelet's pod logs root, /var/log/pods. */
  podLogsRoot: string;
  /** The pod's cgroup (by its QoS class), if the node manages pod cgroups. */
  cgroupParent?: string;
}

/**
 * The RunPodSandbox config for a pod, as kubelet's generatePodSandboxConfig. DNS and port
 * mappings also apply to host-network pods; the hostname only to the others (a host-network
 * pod keeps the node's). Events (MissingClusterDNS, DNSConfigForming) are for the pod.
 */
export function podSandboxConfig(
  pod: Pod,
  options: SandboxConfigOptions,
): { config: PodSandboxConfig; events: SpecEvent[] } {
  const meta = pod.metadata ?? {};
  for (const key of ["name", "namespace", "uid"] as const) {
    if (!meta[key])
      throw invalidArgument(`pod metadata.${key} must be set`, { field: `metadata.${key}` });
  }
  const name = meta.name!;
  const namespace = meta.namespace!;
  const uid = meta.uid!;
  const dns = podDnsConfig(pod, options);
  const hostNetwork = pod.spec?.hostNetwork === true;
  const config: PodSandboxConfig = {
    metadata: { name, namespace, uid, attempt: options.attempt },
    ...(hostNetwork ? {} : { hostname: kernelHostname(pod, options.clusterDomain ?? "") }),
    log_directory: podLogDirectory(options.podLogsRoot, namespace, name, uid),
    dns_config: dns.config,
    port_mappings: podPortMappings(pod),
    labels: sandboxLabels(pod),
    annotations: sandboxAnnotations(pod),
    linux: sandboxLinuxConfig(pod, options),
  };
  return { config, events: dns.events };
}

function sandboxLinuxConfig(pod: Pod, options: SandboxConfigOptions): LinuxPodSandboxConfig {
  const sc = pod.spec?.securityContext ?? {};
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const selinux = seLinuxOption(sc.seLinuxOptions);
  const { resources, overhead } = sandboxLinuxResources(pod, options);
  return {
    cgroup_parent: options.cgroupParent ?? "",
    security_context: {
      namespace_options: podNamespaceOptions(pod),
      privileged: containers.some((c) => c.securityContext?.privileged === true),
      // kubelet always runs the sandbox itself under the runtime's default profile.
      seccomp: { profile_type: "RuntimeDefault" },
      ...(sc.runAsUser !== undefined ? { run_as_user: { value: String(sc.runAsUser) } } : {}),
      ...(sc.runAsGroup !== undefined ? { run_as_group: { value: String(sc.runAsGroup) } } : {}),
      supplemental_groups: podSupplementalGroups(pod),
      ...(selinux ? { selinux_options: selinux } : {}),
    },
    sysctls: Object.fromEntries((sc.sysctls ?? []).map((s) => [s.name, s.value])),
    resources,
    overhead,
  };
}
