import { expect } from "chai";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";
import { deploymentTable } from "../../../../../controller/resources/tables/deployments-table.js";
import { replicaSetTable } from "../../../../../controller/resources/tables/replicasets-table.js";
import { ago, columnShapes, now } from "./table-fixtures.js";

const template = {
  metadata: { labels: { app: "web" } },
  spec: {
    containers: [
      { name: "app", image: "registry.local/web:1.2" },
      { name: "sidecar", image: "busybox" },
    ],
  },
};

function workload(kind: string, spec: object, status: object = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name: "web", namespace: "default", creationTimestamp: ago(26 * 3600) },
    spec: { template, ...spec },
    status,
  };
}

describe("controller/resources/tables deployments-table", () => {
  it("has kubectl's deployment columns, template and selector only with -o wide", () => {
    expect(columnShapes(deploymentTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Ready", "string", 0],
      ["Up-to-date", "string", 0],
      ["Available", "string", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
  });

  it("prints ready/desired, updated and available counts and the template's containers", () => {
    const d = workload(
      "Deployment",
      {
        replicas: 3,
        selector: {
          matchLabels: { app: "web" },
          matchExpressions: [{ key: "track", operator: "NotIn", values: ["canary", "beta"] }],
        },
      },
      { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    );
    expect(deploymentTable.row(d, now)).to.deep.equal([
      "web",
      "2/3",
      3,
      2,
      "26h",
      "app,sidecar",
      "registry.local/web:1.2,busybox",
      "app=web,track notin (beta,canary)",
    ]);
  });

  it("counts absent status fields as zero and unset replicas as the default of one", () => {
    const row = deploymentTable.row(
      workload("Deployment", { selector: { matchLabels: { app: "web" } } }),
      now,
    );
    expect(row.slice(1, 4)).to.deep.equal(["0/1", 0, 0]);
    const scaledToZero = deploymentTable.row(workload("Deployment", { replicas: 0 }), now);
    expect(scaledToZero[1]).to.equal("0/0");
  });

  it("prints an unconvertible selector as <invalid> and a missing one as empty, as Kubernetes does", () => {
    const bad = workload("Deployment", {
      selector: { matchExpressions: [{ key: "a", operator: "Near" }] },
    });
    expect(deploymentTable.row(bad, now)[7]).to.equal("<invalid>");
    expect(deploymentTable.row(workload("Deployment", {}), now)[7]).to.equal("");
  });
});

describe("controller/resources/tables replicasets-table", () => {
  it("has kubectl's replica set columns, with integer counts", () => {
    expect(columnShapes(replicaSetTable)).to.deep.equal([
      ["Name", "string", 0],
      ["Desired", "integer", 0],
      ["Current", "integer", 0],
      ["Ready", "integer", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
  });

  it("prints desired, current and ready replicas and the template", () => {
    const rs = workload(
      "ReplicaSet",
      { replicas: 3, selector: { matchLabels: { app: "web", "pod-template-hash": "7d4b9c" } } },
      { replicas: 3, readyReplicas: 1 },
    );
    expect(replicaSetTable.row(rs, now)).to.deep.equal([
      "web",
      3,
      3,
      1,
      "26h",
      "app,sidecar",
      "registry.local/web:1.2,busybox",
      "app=web,pod-template-hash=7d4b9c",
    ]);
  });

  it("prints <none> for an empty selector and <error> for an unconvertible one", () => {
    expect(replicaSetTable.row(workload("ReplicaSet", { selector: {} }), now)[7]).to.equal(
      "<none>",
    );
    const bad = workload("ReplicaSet", {
      selector: { matchExpressions: [{ key: "a", operator: "In" }] },
    });
    expect(replicaSetTable.row(bad, now)[7]).to.equal("<error>");
  });
});
