import type { KubeObject } from "../kube-object.js";
import { formatAgeOf } from "./age.js";
import { column } from "./common-columns.js";
import { integer, optionalRecord, record, text } from "./json-fields.js";
import type { TableDef } from "./table-def.js";

// The order `kubectl get events` prints: LAST SEEN TYPE REASON OBJECT MESSAGE, with the wide
// columns interleaved where Kubernetes puts them.
export const eventTable: TableDef = {
  columns: [
    column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    column(
      "Reason",
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column("Object", "The object that this event is about."),
    column(
      "Subobject",
      "The field of the object the event is about, such as spec.containers{name}.",
      {
        priority: 1,
      },
    ),
    column("Source", "The component reporting this event.", { priority: 1 }),
    column("Message", "A human-readable description of the status of this operation."),
    column("First Seen", "The time at which the event was first recorded.", { priority: 1 }),
    column("Count", "The number of times this event has occurred.", { priority: 1 }),
    column("Name", "Name of the event.", { priority: 1, format: "name" }),
  ],
  row: eventRow,
};

function eventRow(event: KubeObject, now: Date): unknown[] {
  const involved = record(event.involvedObject);
  const series = optionalRecord(event.series);

  // Events from the events.k8s.io API carry eventTime and series instead of the timestamps and count.
  const firstSeen = text(event.firstTimestamp)
    ? formatAgeOf(event.firstTimestamp, now)
    : formatAgeOf(event.eventTime, now);
  let lastSeen = text(event.lastTimestamp) ? formatAgeOf(event.lastTimestamp, now) : firstSeen;
  let count = integer(event.count);
  if (series !== undefined) {
    lastSeen = formatAgeOf(series.lastObservedTime, now);
    count = integer(series.count);
  } else if (count === 0) {
    count = 1;
  }

  const kind = text(involved.kind).toLowerCase();
  const name = text(involved.name);
  return [
    lastSeen,
    text(event.type),
    text(event.reason),
    name === "" ? kind : `${kind}/${name}`,
    text(involved.fieldPath),
    eventSource(event),
    text(event.message).trim(),
    firstSeen,
    count,
    text(record(event.metadata).name),
  ];
}

/** "component, host", or "component" alone; reportingComponent/Instance stand in for empty ones. */
function eventSource(event: KubeObject): string {
  const source = record(event.source);
  const component = text(source.component) || text(event.reportingComponent);
  const host = text(source.host) || text(event.reportingInstance);
  return host === "" ? component : `${component}, ${host}`;
}
