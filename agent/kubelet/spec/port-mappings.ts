import type { Pod } from "../../kube/types.js";
import type { PortMapping } from "../../../proto/gen/runtime/v1/PortMapping.js";
import type { Protocol } from "../../../proto/gen/runtime/v1/Protocol.js";

const protocols = new Set(["TCP", "UDP", "SCTP"]);

/**
 * The sandbox's port mappings: every port of every app container, as kubelet's MakePortMappings
 * (hostPort 0 means no host port; the runtime maps only the others). Within a container a port
 * name (or, unnamed, its family/protocol/hostIP/containerPort) counts once.
 */
export function podPortMappings(pod: Pod): PortMapping[] {
  const mappings: PortMapping[] = [];
  for (const container of pod.spec?.containers ?? []) {
    const seen = new Set<string>();
    for (const p of container.ports ?? []) {
      const protocol = p.protocol && protocols.has(p.protocol) ? p.protocol : "TCP";
      const hostIP = p.hostIP ?? "";
      const family = hostIP === "" ? "any" : hostIP.includes(":") ? "v6" : "v4";
      const name = p.name || `${family}-${p.protocol ?? ""}-${hostIP}:${p.containerPort}`;
      if (seen.has(name)) continue;
      seen.add(name);
      mappings.push({
        protocol: protocol as Protocol,
        container_port: p.containerPort,
        host_port: p.hostPort ?? 0,
        host_ip: hostIP,
      });
    }
  }
  return mappings;
}
