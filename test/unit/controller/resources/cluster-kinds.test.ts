import { expect } from "chai";
import { cause, clone, create, kind, stored, update } from "./fixtures/kinds.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- editing objects */

describe("controller/resources namespaces", () => {
  it("defaults the kubernetes finalizer, phase Active and the name label", () => {
    const ns = stored("namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop" },
    }) as any;
    expect(ns.spec).to.deep.equal({ finalizers: ["kubernetes"] });
    expect(ns.status).to.deep.equal({ phase: "Active" });
    expect(ns.metadata.labels).to.deep.equal({ "kubernetes.io/metadata.name": "shop" });
    expect(kind("namespaces").fieldLabels(ns)).to.deep.equal({
      "metadata.name": "shop",
      "metadata.namespace": "",
      "status.phase": "Active",
    });
  });

  it("wants an RFC 1123 label name and known finalizers", () => {
    expect(create("namespaces", { metadata: { name: "my.ns" } })).to.deep.equal([
      cause("FieldValueInvalid", "metadata.name", 'Invalid value: "my.ns": must not contain dots'),
    ]);
    expect(
      create("namespaces", { metadata: { name: "a" }, spec: { finalizers: ["custom"] } }),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.finalizers",
        'Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ),
    ]);
  });
});

describe("controller/resources nodes", () => {
  const node = (): any => ({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "node-1.example.com" },
    spec: {},
    status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } },
  });

  it("needs no spec and copies capacity to allocatable when missing", () => {
    const n = stored("nodes", { metadata: { name: "n1" } }) as any;
    expect(n).to.not.have.property("status");
    const reported = stored("nodes", node()) as any;
    expect(reported.status.allocatable).to.deep.equal({ cpu: "4", memory: "8Gi", pods: "110" });
  });

  it("checks taints and capacity quantities", () => {
    const n = node();
    n.spec.taints = [
      { key: "dedicated", value: "db", effect: "NoSchedule" },
      { key: "dedicated", effect: "NoSchedule" },
      { key: "x" },
    ];
    n.status.capacity.memory = "lots";
    n.status.allocatable = { cpu: "4" };
    expect(create("nodes", n)).to.deep.equal([
      cause(
        "FieldValueDuplicate",
        "spec.taints[1]",
        'Duplicate value: core.Taint{Key:"dedicated", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
      ),
      cause("FieldValueRequired", "spec.taints[2].effect", "Required value"),
      cause(
        "FieldValueInvalid",
        "status.capacity.memory",
        `Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ),
    ]);
  });

  it("lets podCIDR and providerID be set once, and cordoning change freely", () => {
    const old = stored("nodes", node()) as any;
    const cordoned = clone(old);
    cordoned.spec = { unschedulable: true, podCIDR: "10.244.1.0/24", providerID: "berth://n1" };
    expect(update("nodes", cordoned, old)).to.deep.equal([]);
    expect(kind("nodes").fieldLabels(cordoned)["spec.unschedulable"]).to.equal("true");
    const moved = clone(cordoned);
    moved.spec.podCIDR = "10.244.2.0/24";
    moved.spec.providerID = "other://n1";
    expect(update("nodes", moved, cordoned)).to.deep.equal([
      cause(
        "FieldValueForbidden",
        "spec.podCIDRs",
        'Forbidden: node updates may not change podCIDR except from "" to valid',
      ),
      cause(
        "FieldValueForbidden",
        "spec.providerID",
        'Forbidden: node updates may not change providerID except from "" to valid',
      ),
    ]);
  });
});

describe("controller/resources events", () => {
  const event = (): any => ({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "web.17a3f", namespace: "default" },
    involvedObject: {
      kind: "Pod",
      namespace: "default",
      name: "web",
      uid: "u1",
      apiVersion: "v1",
      fieldPath: "spec.containers{web}",
    },
    reason: "Pulled",
    message: "Successfully pulled image",
    source: { component: "kubelet", host: "node-1" },
    type: "Normal",
    count: 1,
  });

  it("accepts a kubelet event and serves its field labels", () => {
    const ev = stored("events", event());
    expect(kind("events").fieldLabels(ev)).to.deep.equal({
      "metadata.name": "web.17a3f",
      "metadata.namespace": "default",
      "involvedObject.kind": "Pod",
      "involvedObject.namespace": "default",
      "involvedObject.name": "web",
      "involvedObject.uid": "u1",
      "involvedObject.apiVersion": "v1",
      "involvedObject.resourceVersion": "",
      "involvedObject.fieldPath": "spec.containers{web}",
      reason: "Pulled",
      reportingComponent: "",
      source: "kubelet",
      type: "Normal",
    });
  });

  it("requires involvedObject, in the event's namespace", () => {
    const missing = event();
    delete missing.involvedObject;
    expect(create("events", missing)).to.deep.equal([
      cause("FieldValueRequired", "involvedObject", "Required value"),
    ]);
    const elsewhere = event();
    elsewhere.involvedObject.namespace = "shop";
    expect(create("events", elsewhere)).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "involvedObject.namespace",
        'Invalid value: "shop": does not match event.namespace',
      ),
    ]);
    const node = event();
    node.involvedObject = { kind: "Node", name: "node-1" };
    expect(create("events", node)).to.deep.equal([]);
  });

  it("holds events with eventTime to the newer rules", () => {
    const ev = event();
    ev.eventTime = "2025-01-01T00:00:00.000000Z";
    ev.type = "Info";
    expect(create("events", ev)).to.deep.equal([
      cause("FieldValueRequired", "reportingComponent", "Required value"),
      cause("FieldValueRequired", "reportingInstance", "Required value"),
      cause("FieldValueRequired", "action", "Required value"),
      cause("FieldValueInvalid", "type", 'Invalid value: "": has invalid value: Info'),
    ]);
  });
});

describe("controller/resources leases", () => {
  const lease = (spec: Record<string, unknown>): any => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "node-1", namespace: "kube-node-lease" },
    spec,
  });

  it("accepts a node heartbeat lease", () => {
    expect(
      create(
        "leases",
        lease({
          holderIdentity: "node-1",
          leaseDurationSeconds: 40,
          renewTime: "2025-01-01T00:00:00.000000Z",
        }),
      ),
    ).to.deep.equal([]);
  });

  it("checks durations, transitions, times and types", () => {
    expect(
      create(
        "leases",
        lease({ leaseDurationSeconds: 0, leaseTransitions: -1, renewTime: "yesterday" }),
      ),
    ).to.deep.equal([
      cause(
        "FieldValueInvalid",
        "spec.leaseDurationSeconds",
        "Invalid value: 0: must be greater than 0",
      ),
      cause(
        "FieldValueInvalid",
        "spec.leaseTransitions",
        "Invalid value: -1: must be greater than or equal to 0",
      ),
      cause(
        "FieldValueInvalid",
        "spec.renewTime",
        'Invalid value: "yesterday": must be an RFC 3339 timestamp',
      ),
    ]);
    expect(
      create("leases", lease({ leaseDurationSeconds: "40", holderIdentity: 7 })),
    ).to.deep.equal([
      cause(
        "FieldValueTypeInvalid",
        "spec.leaseDurationSeconds",
        'Invalid value: "string": spec.leaseDurationSeconds in body must be of type integer: "string"',
      ),
      cause(
        "FieldValueTypeInvalid",
        "spec.holderIdentity",
        'Invalid value: "integer": spec.holderIdentity in body must be of type string: "integer"',
      ),
    ]);
  });
});
