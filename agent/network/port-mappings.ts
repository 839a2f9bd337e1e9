import type { PortMapping as CriPortMapping } from "../../proto/gen/runtime/v1/PortMapping.js";
import type { PortMapping } from "../../cni/spec/types.js";

const protocols = { TCP: "tcp", UDP: "udp", SCTP: "sctp" } as const;

/** The pod's host ports as the CNI `portMappings` capability carries them; ports without a host port are not mapped. */
export function cniPortMappings(mappings: CriPortMapping[] | undefined): PortMapping[] {
  return (mappings ?? [])
    .filter((m) => Number(m.host_port) > 0)
    .map((m) => ({
      hostPort: Number(m.host_port),
      containerPort: Number(m.container_port),
      protocol: protocols[(m.protocol ?? "TCP") as keyof typeof protocols] ?? "tcp",
      hostIP: m.host_ip ?? "",
    }));
}
