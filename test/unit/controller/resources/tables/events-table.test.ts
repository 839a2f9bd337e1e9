import { expect } from "chai";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";
import { eventTable } from "../../../../../controller/resources/tables/events-table.js";
import { ago, cellsByName, columnShapes, now } from "./table-fixtures.js";

function event(fields: object): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "web.17f2a", namespace: "default", creationTimestamp: ago(600) },
    involvedObject: {
      kind: "Pod",
      name: "web",
      namespace: "default",
      fieldPath: "spec.containers{app}",
    },
    reason: "Pulled",
    message: '  Successfully pulled image "busybox"\n',
    type: "Normal",
    source: { component: "kubelet", host: "node-a" },
    ...fields,
  };
}

describe("controller/resources/tables events-table", () => {
  it("orders columns as kubectl get events prints them: LAST SEEN TYPE REASON OBJECT MESSAGE", () => {
    expect(columnShapes(eventTable)).to.deep.equal([
      ["Last Seen", "string", 0],
      ["Type", "string", 0],
      ["Reason", "string", 0],
      ["Object", "string", 0],
      ["Subobject", "string", 1],
      ["Source", "string", 1],
      ["Message", "string", 0],
      ["First Seen", "string", 1],
      ["Count", "string", 1],
      ["Name", "string", 1],
    ]);
    expect(eventTable.columns.find((c) => c.name === "Name")?.format).to.equal("name");
  });

  it("prints a core event with its timestamps, object, source and trimmed message", () => {
    const row = eventTable.row(
      event({ firstTimestamp: ago(600), lastTimestamp: ago(65), count: 3 }),
      now,
    );
    expect(row).to.deep.equal([
      "65s",
      "Normal",
      "Pulled",
      "pod/web",
      "spec.containers{app}",
      "kubelet, node-a",
      'Successfully pulled image "busybox"',
      "10m",
      3,
      "web.17f2a",
    ]);
  });

  it("falls back to eventTime and counts a singleton event once", () => {
    const cells = cellsByName(
      eventTable,
      eventTable.row(
        event({
          eventTime: "2025-06-01T11:58:00.000000Z",
          source: {},
          reportingComponent: "berth-scheduler",
          reportingInstance: "controller-0",
        }),
        now,
      ),
    );
    expect(cells).to.include({
      "Last Seen": "2m",
      "First Seen": "2m",
      Count: 1,
      Source: "berth-scheduler, controller-0",
    });
  });

  it("takes the last time and count from a series", () => {
    const cells = cellsByName(
      eventTable,
      eventTable.row(
        event({
          eventTime: ago(3600),
          series: { count: 12, lastObservedTime: "2025-06-01T11:59:30.000000Z" },
        }),
        now,
      ),
    );
    expect(cells).to.include({ "Last Seen": "30s", "First Seen": "60m", Count: 12 });
  });

  it("prints the source component alone without a host, and a nameless object as its kind", () => {
    const cells = cellsByName(
      eventTable,
      eventTable.row(
        event({
          lastTimestamp: ago(5),
          source: { component: "berth-controller" },
          involvedObject: { kind: "Node" },
        }),
        now,
      ),
    );
    expect(cells).to.include({ Source: "berth-controller", Object: "node", Subobject: "" });
  });

  it("prints <unknown> times for an event without any timestamp", () => {
    expect(eventTable.row({}, now)).to.deep.equal([
      "<unknown>",
      "",
      "",
      "",
      "",
      "",
      "",
      "<unknown>",
      1,
      "",
    ]);
  });
});
