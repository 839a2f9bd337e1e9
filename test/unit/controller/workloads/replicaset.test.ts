import { expect } from "chai";
import { BerthError } from "../../../../lib/errors.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { reconcileReplicaSet } from "../../../../controller/workloads/replicaset-controller.js";
import { slowStartBatches } from "../../../../controller/workloads/slow-start.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- building loosely typed objects */

const now = new Date("2024-05-01T12:00:00Z");
const ago = (seconds: number) =>
  new Date(now.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

function replicaSet(replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web-abc", namespace: "shop", uid: "rs-1", generation: 4 },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web", tier: "front" }, annotations: { note: "x" } },
        spec: { containers: [{ name: "app", image: "web:v1" }] },
      },
      ...extra,
    },
  };
}

const ownedBy = (uid: string) => [
  { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abc", uid, controller: true },
];

interface PodOptions {
  node?: string;
  phase?: string;
  readySince?: number;
  restarts?: number;
  createdAgo?: number;
  labels?: Record<string, string>;
  owner?: string | null;
  deleting?: boolean;
}

function pod(name: string, o: PodOptions = {}): KubeObject {
  const conditions =
    o.readySince === undefined
      ? [{ type: "Ready", status: "False" }]
      : [{ type: "Ready", status: "True", lastTransitionTime: ago(o.readySince) }];
  const metadata: any = {
    name,
    namespace: "shop",
    uid: `uid-${name}`,
    labels: o.labels ?? { app: "web", tier: "front" },
    creationTimestamp: ago(o.createdAgo ?? 100),
  };
  if (o.owner !== null) metadata.ownerReferences = ownedBy(o.owner ?? "rs-1");
  if (o.deleting) metadata.deletionTimestamp = ago(1);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: { nodeName: o.node ?? "node-1", containers: [{ name: "app", image: "web:v1" }] },
    status: {
      phase: o.phase ?? "Running",
      conditions,
      containerStatuses: [{ name: "app", restartCount: o.restarts ?? 0 }],
    },
  };
}

describe("controller/workloads ReplicaSet controller", () => {
  it("creates the missing pods from the template, owned by the ReplicaSet", () => {
    const plan = reconcileReplicaSet(replicaSet(3), [pod("a", { readySince: 50 })], now);
    expect(plan.create).to.have.length(2);
    expect(plan.delete).to.deep.equal([]);
    expect(plan.burst).to.deep.equal([1, 1]);
    expect(plan.create[0]).to.deep.equal({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: "web-abc-",
        namespace: "shop",
        labels: { app: "web", tier: "front" },
        annotations: { note: "x" },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "ReplicaSet",
            name: "web-abc",
            uid: "rs-1",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { containers: [{ name: "app", image: "web:v1" }] },
    });
    // Each pod is its own object: the caller may edit one without touching the others.
    expect(plan.create[0]).to.not.equal(plan.create[1]);
    expect((plan.create[0].spec as any).containers).to.not.equal(
      (plan.create[1].spec as any).containers,
    );
  });

  it("creates at most 500 per pass, in slow-start batches 1, 2, 4, …", () => {
    const plan = reconcileReplicaSet(replicaSet(1200), [], now);
    expect(plan.create).to.have.length(500);
    expect(plan.burst).to.deep.equal([1, 2, 4, 8, 16, 32, 64, 128, 245]);
    expect(slowStartBatches(7)).to.deep.equal([1, 2, 4]);
    expect(slowStartBatches(0)).to.deep.equal([]);
  });

  it("deletes surplus pods cheapest first, in Kubernetes' ActivePods order", () => {
    const pods = [
      pod("ready-long", { readySince: 500 }),
      pod("ready-short", { readySince: 10 }),
      pod("running-not-ready", {}),
      pod("unknown", { phase: "Unknown", readySince: 500 }),
      pod("pending-assigned", { phase: "Pending" }),
      pod("unassigned", { phase: "Pending", node: "" }),
      pod("ready-long-restarts", { readySince: 500, restarts: 3 }),
      pod("ready-long-newer", { readySince: 500, createdAgo: 20 }),
    ];
    const order = (count: number) =>
      reconcileReplicaSet(replicaSet(pods.length - count), pods, now).delete.map(
        (p) => p.metadata?.name,
      );
    expect(order(7)).to.deep.equal([
      "unassigned",
      "pending-assigned",
      "unknown",
      "running-not-ready",
      "ready-short",
      "ready-long-restarts",
      "ready-long-newer",
    ]);
    expect(order(2)).to.deep.equal(["unassigned", "pending-assigned"]);
    expect(reconcileReplicaSet(replicaSet(0), pods, now).delete).to.have.length(8);
  });

  it("adopts matching orphans and releases pods it no longer selects", () => {
    const pods = [
      pod("mine", { readySince: 50 }),
      pod("orphan", { owner: null, readySince: 50 }),
      pod("relabelled", { labels: { app: "debug" }, readySince: 50 }),
      pod("someone-elses", { owner: "rs-2", readySince: 50 }),
      pod("orphan-other-app", { owner: null, labels: { app: "db" } }),
      pod("orphan-deleting", { owner: null, deleting: true }),
      pod("orphan-finished", { owner: null, phase: "Succeeded" }),
    ];
    const plan = reconcileReplicaSet(replicaSet(2), pods, now);
    expect(plan.adopt.map((p) => p.metadata?.name)).to.deep.equal(["orphan"]);
    expect(plan.adopt[0].metadata?.ownerReferences).to.deep.equal([
      {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        name: "web-abc",
        uid: "rs-1",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(plan.release.map((p) => p.metadata?.name)).to.deep.equal(["relabelled"]);
    expect(plan.release[0].metadata?.ownerReferences).to.deep.equal([]);
    // The input is left alone.
    expect(pods[1].metadata?.ownerReferences).to.equal(undefined);
    // mine + the adopted orphan make the 2 wanted.
    expect(plan.create).to.deep.equal([]);
    expect(plan.delete).to.deep.equal([]);
    expect(plan.status.replicas).to.equal(2);
  });

  it("counts ready and available pods with minReadySeconds, and says when to look again", () => {
    const pods = [
      pod("old-hand", { readySince: 30 }),
      pod("exactly", { readySince: 10 }),
      pod("newcomer", { readySince: 4 }),
      pod("starting", {}),
      pod("partly-labelled", { labels: { app: "web" }, readySince: 60 }),
      pod("terminating", { readySince: 60, deleting: true }),
      pod("failed", { phase: "Failed" }),
    ];
    const plan = reconcileReplicaSet(replicaSet(5, { minReadySeconds: 10 }), pods, now);
    expect(plan.status).to.deep.equal({
      replicas: 5,
      fullyLabeledReplicas: 4,
      readyReplicas: 4,
      availableReplicas: 3,
      observedGeneration: 4,
    });
    expect(plan.recheckAt?.toISOString()).to.equal(new Date(now.getTime() + 6000).toISOString());
    expect(plan.create).to.deep.equal([]);
  });

  it("reports a failed create as ReplicaFailure until a pass succeeds", () => {
    const failed = reconcileReplicaSet(replicaSet(3), [], now, {
      manageError: 'pods "web-abc-" is forbidden: exceeded quota',
    });
    expect(failed.status.conditions).to.deep.equal([
      {
        type: "ReplicaFailure",
        status: "True",
        lastTransitionTime: "2024-05-01T12:00:00Z",
        reason: "FailedCreate",
        message: 'pods "web-abc-" is forbidden: exceeded quota',
      },
    ]);
    const rs = { ...replicaSet(3), status: failed.status };
    expect(reconcileReplicaSet(rs, [], now).status.conditions).to.equal(undefined);
  });

  it("creates nothing while the ReplicaSet is being deleted", () => {
    const rs = replicaSet(3);
    rs.metadata!.deletionTimestamp = ago(1);
    const plan = reconcileReplicaSet(rs, [pod("orphan", { owner: null })], now);
    expect(plan.create).to.deep.equal([]);
    expect(plan.adopt).to.deep.equal([]);
  });

  it("refuses a ReplicaSet without a uid or selector, naming the field", () => {
    const noUid = replicaSet(1);
    delete noUid.metadata!.uid;
    expect(() => reconcileReplicaSet(noUid, [], now))
      .to.throw(BerthError, "metadata.uid is required")
      .with.property("field", "metadata.uid");
    const noSelector = replicaSet(1);
    delete (noSelector.spec as any).selector;
    expect(() => reconcileReplicaSet(noSelector, [], now))
      .to.throw(BerthError, "spec.selector is required")
      .with.property("field", "spec.selector");
    expect(() => reconcileReplicaSet(replicaSet(-1), [], now))
      .to.throw(BerthError)
      .with.property("field", "spec.replicas");
  });
});
