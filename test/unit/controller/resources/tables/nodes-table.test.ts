import { expect } from "chai";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";
import { nodeTable } from "../../../../../controller/resources/tables/nodes-table.js";
import { ago, cellsByName, columnShapes, now } from "./table-fixtures.js";

function node(labels: Record<string, string>, spec: object, conditions: object[]): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "node-a", labels, creationTimestamp: ago(3 * 86400 + 4 * 3600) },
    spec,
    status: {
      conditions,
      addresses: [
        { type: "Hostname", address: "node-a" },
        { type: "InternalIP", address: "192.168.1.10" },
      ],
      nodeInfo: {
        kubeletVersion: "v1.32.4-berth",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        kernelVersion: "6.1.0-18-amd64",
        containerRuntimeVersion: "berth://0.1.0",
      },
    },
  };
}

const ready = { type: "Ready", status: "True" };

describe("controller/resources/tables nodes-table", () => {
  it("has kubectl's node columns, addresses and versions only with -o wide", () => {
    expect(columnShapes(nodeTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Status", "string", 0],
      ["Roles", "string", 0],
      ["Age", "string", 0],
      ["Version", "string", 0],
      ["Internal-IP", "string", 1],
      ["External-IP", "string", 1],
      ["OS-Image", "string", 1],
      ["Kernel-Version", "string", 1],
      ["Container-Runtime", "string", 1],
    ]);
    expect(nodeTable.columns[0].format).to.equal("name");
  });

  it("prints a ready worker with its addresses and versions", () => {
    const row = nodeTable.row(
      node({}, {}, [{ type: "MemoryPressure", status: "False" }, ready]),
      now,
    );
    expect(row).to.deep.equal([
      "node-a",
      "Ready",
      "<none>",
      "3d4h",
      "v1.32.4-berth",
      "192.168.1.10",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.1.0-18-amd64",
      "berth://0.1.0",
    ]);
  });

  it("adds SchedulingDisabled to the status of a cordoned node", () => {
    const cells = cellsByName(
      nodeTable,
      nodeTable.row(node({}, { unschedulable: true }, [ready]), now),
    );
    expect(cells.Status).to.equal("Ready,SchedulingDisabled");
  });

  it("prints NotReady for a Ready condition that is False or Unknown, and Unknown without one", () => {
    const status = (conditions: object[]) =>
      cellsByName(nodeTable, nodeTable.row(node({}, {}, conditions), now)).Status;
    expect(status([{ type: "Ready", status: "False" }])).to.equal("NotReady");
    expect(status([{ type: "Ready", status: "Unknown" }])).to.equal("NotReady");
    expect(status([])).to.equal("Unknown");
    const cordoned = nodeTable.row(node({}, { unschedulable: true }, []), now);
    expect(cordoned[1]).to.equal("Unknown,SchedulingDisabled");
  });

  it("reads roles from node-role.kubernetes.io/<role> keys and kubernetes.io/role, sorted and unique", () => {
    const labels = {
      "node-role.kubernetes.io/worker": "",
      "node-role.kubernetes.io/control-plane": "",
      "node-role.kubernetes.io/": "",
      "kubernetes.io/role": "worker",
      "kubernetes.io/hostname": "node-a",
    };
    expect(nodeTable.row(node(labels, {}, [ready]), now)[2]).to.equal("control-plane,worker");
    expect(nodeTable.row(node({ "kubernetes.io/role": "edge" }, {}, [ready]), now)[2]).to.equal(
      "edge",
    );
  });

  it("prints <unknown> for missing node info and <none> for missing addresses", () => {
    const bare: KubeObject = { metadata: { name: "n" }, status: {} };
    expect(nodeTable.row(bare, now)).to.deep.equal([
      "n",
      "Unknown",
      "<none>",
      "<unknown>",
      "",
      "<none>",
      "<none>",
      "<unknown>",
      "<unknown>",
      "<unknown>",
    ]);
  });
});
