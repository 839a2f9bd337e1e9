import { expect } from "chai";
import { generationChanged } from "../../../../controller/resources/generation.js";
import {
  builtinResourceTypes,
  findByKind,
  findResource,
} from "../../../../controller/resources/registry.js";
import { podTable } from "../../../../controller/resources/tables/pods-table.js";
import { findTypeMismatches } from "../../../../controller/resources/type-mismatches.js";
import { kind, minimalPod, stored } from "./fixtures/kinds.js";

const identity = (plural: string, group = "") => {
  const rt = findResource(group, "v1", plural)!;
  return {
    kind: rt.kind,
    listKind: rt.listKind,
    singular: rt.singular,
    namespaced: rt.namespaced,
    shortNames: rt.shortNames,
    categories: rt.categories,
    subresources: rt.subresources,
    statusSubresource: rt.statusSubresource,
  };
};

describe("controller/resources registry", () => {
  it("serves the ten kinds, core group first", () => {
    expect(builtinResourceTypes.map((t) => `${t.group}/${t.version}/${t.plural}`)).to.deep.equal([
      "/v1/namespaces",
      "/v1/pods",
      "/v1/nodes",
      "/v1/events",
      "/v1/configmaps",
      "/v1/secrets",
      "/v1/services",
      "apps/v1/deployments",
      "apps/v1/replicasets",
      "coordination.k8s.io/v1/leases",
    ]);
  });

  it("names each kind as Kubernetes' discovery does", () => {
    expect(identity("pods")).to.deep.equal({
      kind: "Pod",
      listKind: "PodList",
      singular: "pod",
      namespaced: true,
      shortNames: ["po"],
      categories: ["all"],
      subresources: ["status", "binding", "eviction", "log", "exec", "attach", "portforward"],
      statusSubresource: true,
    });
    expect(identity("nodes")).to.include({
      kind: "Node",
      namespaced: false,
      statusSubresource: true,
    });
    expect(identity("nodes").shortNames).to.deep.equal(["no"]);
    expect(identity("namespaces")).to.deep.include({ namespaced: false, shortNames: ["ns"] });
    expect(identity("events")).to.deep.include({
      shortNames: ["ev"],
      subresources: [],
      statusSubresource: false,
    });
    expect(identity("configmaps")).to.deep.include({
      shortNames: ["cm"],
      statusSubresource: false,
    });
    expect(identity("secrets")).to.deep.include({ shortNames: [], categories: [] });
    expect(identity("services")).to.deep.include({
      shortNames: ["svc"],
      categories: ["all"],
      subresources: ["status"],
    });
    expect(identity("leases", "coordination.k8s.io")).to.deep.include({
      kind: "Lease",
      singular: "lease",
    });
    expect(identity("deployments", "apps")).to.deep.include({
      shortNames: ["deploy"],
      categories: ["all"],
      subresources: ["status", "scale"],
    });
    expect(identity("replicasets", "apps")).to.deep.include({
      kind: "ReplicaSet",
      listKind: "ReplicaSetList",
      shortNames: ["rs"],
      subresources: ["status", "scale"],
    });
  });

  it("finds kinds by URL names and by apiVersion and kind", () => {
    expect(findResource("apps", "v1", "deployments")?.kind).to.equal("Deployment");
    expect(findResource("", "v1", "deployments")).to.equal(undefined);
    expect(findResource("apps", "v2", "deployments")).to.equal(undefined);
    expect(findByKind("v1", "Pod")?.plural).to.equal("pods");
    expect(findByKind("apps/v1", "ReplicaSet")?.plural).to.equal("replicasets");
    expect(findByKind("coordination.k8s.io/v1", "Lease")?.plural).to.equal("leases");
    expect(findByKind("v1", "Deployment")).to.equal(undefined);
    expect(findByKind("apps/v1", "Pod")).to.equal(undefined);
  });

  it("gives pods the field labels kubectl, schedulers and kubelets select on", () => {
    const pod = stored("pods", minimalPod());
    (pod.spec as Record<string, unknown>).nodeName = "node-1";
    expect(kind("pods").fieldLabels(pod)).to.deep.equal({
      "metadata.name": "web",
      "metadata.namespace": "default",
      "spec.nodeName": "node-1",
      "spec.restartPolicy": "Always",
      "spec.schedulerName": "default-scheduler",
      "spec.serviceAccountName": "",
      "spec.hostNetwork": "false",
      "status.phase": "Pending",
      "status.podIP": "",
      "status.nominatedNodeName": "",
    });
  });

  it("lists every field label even for an empty object", () => {
    for (const rt of builtinResourceTypes) {
      const labels = rt.fieldLabels({ metadata: {} });
      expect(labels, rt.plural).to.include.keys("metadata.name", "metadata.namespace");
      for (const value of Object.values(labels)) expect(value, rt.plural).to.be.a("string");
    }
    expect(
      kind("replicasets").fieldLabels({ status: { replicas: 3 } })["status.replicas"],
    ).to.equal("3");
    expect(kind("replicasets").fieldLabels({})["status.replicas"]).to.equal("0");
  });

  it("serves the tables' columns and rows", () => {
    const pods = kind("pods");
    expect(pods.tableColumns).to.equal(podTable.columns);
    const now = new Date("2025-01-01T00:10:00Z");
    const pod = {
      ...minimalPod(),
      metadata: { name: "web", creationTimestamp: "2025-01-01T00:00:00Z" },
    };
    expect(pods.tableRow(pod, now)).to.deep.equal(podTable.row(pod, now));
    for (const rt of builtinResourceTypes)
      expect(rt.tableColumns.length, rt.plural).to.be.greaterThan(0);
  });
});

describe("controller/resources generationChanged", () => {
  it("counts spec changes only", () => {
    const old = {
      metadata: { name: "a", labels: {} },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    };
    expect(generationChanged(old, { ...old, spec: { replicas: 2 } })).to.equal(true);
    expect(
      generationChanged(old, { ...old, metadata: { name: "a", labels: { x: "y" } } }),
    ).to.equal(false);
    expect(generationChanged(old, { ...old, status: { replicas: 3 } })).to.equal(false);
    expect(generationChanged(old, { ...old, spec: { replicas: 1, paused: false } })).to.equal(
      false,
    );
  });

  it("never bumps kinds without a spec", () => {
    expect(generationChanged({ data: { a: "1" } }, { data: { a: "2" } })).to.equal(false);
    expect(
      generationChanged({ type: "Opaque", data: {} }, { type: "Opaque", data: { b: "eA==" } }),
    ).to.equal(false);
  });
});

describe("controller/resources findTypeMismatches", () => {
  const schema = findResource("apps", "v1", "deployments")!.schema;

  it("accepts nulls and the types int-or-string fields allow", () => {
    const d = {
      metadata: { name: "a", labels: null },
      spec: { replicas: 2, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } } },
    };
    expect(findTypeMismatches(d, schema)).to.deep.equal([]);
  });

  it("names each mistyped field", () => {
    const d = {
      metadata: { name: "a", labels: { app: 1 } },
      spec: { replicas: 1.5, paused: "no", template: { spec: { containers: {} } } },
    };
    expect(findTypeMismatches(d, schema).map((c) => [c.field, c.message])).to.deep.equal([
      [
        "metadata.labels[app]",
        'Invalid value: "integer": metadata.labels[app] in body must be of type string: "integer"',
      ],
      [
        "spec.replicas",
        'Invalid value: "number": spec.replicas in body must be of type integer: "number"',
      ],
      [
        "spec.paused",
        'Invalid value: "string": spec.paused in body must be of type boolean: "string"',
      ],
      [
        "spec.template.spec.containers",
        'Invalid value: "object": spec.template.spec.containers in body must be of type array: "object"',
      ],
    ]);
  });
});
