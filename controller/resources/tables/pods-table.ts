import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { ageColumn, column, nameColumn } from "./common-columns.js";
import { record, records, text } from "./json-fields.js";
import { podSummary } from "./pod-status.js";
import type { TableDef } from "./table-def.js";

export const podTable: TableDef = {
  columns: [
    nameColumn,
    column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    ageColumn,
    column("IP", "IP address allocated to the pod. Routable at least within the cluster.", {
      priority: 1,
    }),
    column("Node", "The node this pod is scheduled onto.", { priority: 1 }),
    column(
      "Nominated Node",
      "The node a preempting pod is nominated to run on, while victims are being removed.",
      { priority: 1 },
    ),
    column(
      "Readiness Gates",
      "How many of the pod's readiness gates (extra conditions for readiness) are true.",
      { priority: 1 },
    ),
  ],
  row: podRow,
};

function podRow(pod: KubeObject, now: Date): unknown[] {
  const meta = record(pod.metadata);
  const spec = record(pod.spec);
  const status = record(pod.status);
  const summary = podSummary(pod, now);
  return [
    text(meta.name),
    summary.ready,
    summary.status,
    summary.restarts,
    formatAgeOf(meta.creationTimestamp, now),
    orNone(text(records(status.podIPs)[0]?.ip) || text(status.podIP)),
    orNone(text(spec.nodeName)),
    orNone(text(status.nominatedNodeName)),
    readinessGates(spec, status),
  ];
}

/** "1/2": gates whose condition is True, of all gates; "<none>" without gates. */
function readinessGates(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const gates = records(spec.readinessGates);
  if (gates.length === 0) return "<none>";
  const conditions = records(status.conditions);
  const passed = gates.filter((gate) => {
    const condition = conditions.find((c) => c.type === gate.conditionType);
    return condition !== undefined && condition.status === "True";
  }).length;
  return `${passed}/${gates.length}`;
}

function orNone(value: string): string {
  return value === "" ? "<none>" : value;
}
