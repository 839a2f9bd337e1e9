import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { type JsonRecord, integer, record, records, strings, text } from "./json-fields.js";
import { formatLabels } from "./label-selector-text.js";
import type { TableDef } from "./table-def.js";

export const serviceTable: TableDef = {
  columns: [
    nameColumn,
    column(
      "Type",
      "Determines how the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.",
    ),
    column(
      "Cluster-IP",
      "The IP address of the service, usually assigned randomly; None for a headless service.",
    ),
    column(
      "External-IP",
      "IP addresses for which nodes in the cluster will also accept traffic for this service.",
    ),
    column("Port(s)", "The list of ports that are exposed by this service."),
    ageColumn,
    column(
      "Selector",
      "Route service traffic to pods with label keys and values matching this selector.",
      {
        priority: 1,
      },
    ),
  ],
  row: serviceRow,
};

function serviceRow(service: KubeObject, now: Date): unknown[] {
  const meta = record(service.metadata);
  const spec = record(service.spec);
  const clusterIP = strings(spec.clusterIPs)[0] ?? text(spec.clusterIP);
  return [
    text(meta.name),
    text(spec.type),
    clusterIP === "" ? "<none>" : clusterIP,
    externalIP(spec, record(service.status)),
    portsText(spec),
    formatAgeOf(meta.creationTimestamp, now),
    formatLabels(spec.selector),
  ];
}

function externalIP(spec: JsonRecord, status: JsonRecord): string {
  const externalIPs = strings(spec.externalIPs);
  switch (spec.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress = loadBalancerIngress(status);
      const all = [...ingress, ...externalIPs];
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return text(spec.externalName);
    default:
      return "<unknown>";
  }
}

/** The load balancer's IPs (or hostnames when there is no IP), sorted and without duplicates. */
function loadBalancerIngress(status: JsonRecord): string[] {
  const addresses = new Set<string>();
  for (const ingress of records(record(status.loadBalancer).ingress)) {
    const address = text(ingress.ip) || text(ingress.hostname);
    if (address !== "") addresses.add(address);
  }
  return [...addresses].sort();
}

/** "80/TCP", "80:30080/TCP" with a node port, comma-joined; "<none>" without ports. */
function portsText(spec: JsonRecord): string {
  const ports = records(spec.ports).map((port) => {
    const nodePort = integer(port.nodePort);
    const number = nodePort > 0 ? `${integer(port.port)}:${nodePort}` : `${integer(port.port)}`;
    return `${number}/${text(port.protocol)}`;
  });
  return ports.length === 0 ? "<none>" : ports.join(",");
}
