import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { type JsonRecord, record, records, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
const LEGACY_ROLE_LABEL = "kubernetes.io/role";

export const nodeTable: TableDef = {
  columns: [
    nameColumn,
    column("Status", "The status of the node"),
    column("Roles", "The roles of the node"),
    ageColumn,
    column("Version", "Kubelet Version reported by the node."),
    column("Internal-IP", "List of addresses reachable to the node.", { priority: 1 }),
    column("External-IP", "List of addresses reachable to the node.", { priority: 1 }),
    column("OS-Image", "OS Image reported by the node from /etc/os-release.", { priority: 1 }),
    column("Kernel-Version", "Kernel Version reported by the node from 'uname -r'.", {
      priority: 1,
    }),
    column(
      "Container-Runtime",
      "ContainerRuntime Version reported by the node through runtime remote API.",
      {
        priority: 1,
      },
    ),
  ],
  row: nodeRow,
};

function nodeRow(node: KubeObject, now: Date): unknown[] {
  const meta = record(node.metadata);
  const status = record(node.status);
  const info = record(status.nodeInfo);
  return [
    text(meta.name),
    nodeStatus(node),
    nodeRoles(record(meta.labels)),
    formatAgeOf(meta.creationTimestamp, now),
    text(info.kubeletVersion),
    nodeAddress(status, "InternalIP"),
    nodeAddress(status, "ExternalIP"),
    orUnknown(text(info.osImage)),
    orUnknown(text(info.kernelVersion)),
    orUnknown(text(info.containerRuntimeVersion)),
  ];
}

/** "Ready", "NotReady" or "Unknown" (no Ready condition), then ",SchedulingDisabled" when cordoned. */
function nodeStatus(node: KubeObject): string {
  const conditions = records(record(node.status).conditions);
  // The last Ready condition wins, as Kubernetes indexes conditions by type.
  const ready = conditions.filter((c) => c.type === "Ready").pop();
  const parts = [ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady"];
  if (record(node.spec).unschedulable === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}

/** Roles from node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted, unique. */
function nodeRoles(labels: JsonRecord): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role !== "") roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && text(value) !== "") {
      roles.add(text(value));
    }
  }
  return roles.size === 0 ? "<none>" : [...roles].sort().join(",");
}

/** The first address of that type, or "<none>". */
function nodeAddress(status: JsonRecord, type: string): string {
  const address = records(status.addresses).find((a) => a.type === type);
  return address === undefined ? "<none>" : text(address.address);
}

function orUnknown(value: string): string {
  return value === "" ? "<unknown>" : value;
}
