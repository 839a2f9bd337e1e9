import type { Pod } from "../../kube/types.js";

const managedHeader = "# Kubernetes-managed hosts file.\n";
const managedHeaderHostNetwork = "# Kubernetes-managed hosts file (host network).\n";

/**
 * The /etc/hosts kubelet writes for a pod: localhost lines, then each pod IP with the pod's
 * hostname (FQDN first when it has a domain), then spec.hostAliases. A host-network pod gets the
 * node's own hosts file (nodeHosts) with the aliases appended.
 */
export function podHostsFile(
  pod: Pod,
  names: { hostname: string; domain: string },
  podIPs: string[],
  nodeHosts?: string,
): string {
  if (pod.spec?.hostNetwork) return managedHeaderHostNetwork + (nodeHosts ?? "") + aliasLines(pod);
  const lines = [
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
    ...podIPs.map((ip) =>
      names.domain
        ? `${ip}\t${names.hostname}.${names.domain}\t${names.hostname}`
        : `${ip}\t${names.hostname}`,
    ),
  ];
  return managedHeader + lines.map((l) => `${l}\n`).join("") + aliasLines(pod);
}

function aliasLines(pod: Pod): string {
  const aliases = pod.spec?.hostAliases ?? [];
  if (aliases.length === 0) return "";
  const lines = aliases.map((a) => `${a.ip ?? ""}\t${(a.hostnames ?? []).join("\t")}\n`);
  return "\n# Entries added by HostAliases.\n" + lines.join("");
}
