import { expect } from "chai";
import { BerthError } from "../../../../lib/errors.js";
import { reconcileDeployment } from "../../../../controller/workloads/deployment-controller.js";
import { resolveFenceposts } from "../../../../controller/workloads/int-or-percent.js";
import {
  canonicalJson,
  equalIgnoringHash,
  fnv1a32,
  podTemplateHash,
} from "../../../../controller/workloads/pod-template-hash.js";
import { World, deployment } from "./fake-world.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- building loosely typed objects */

const now = new Date("2024-05-01T10:00:00Z");

describe("controller/workloads Deployment helpers", () => {
  it("hashes templates with FNV-1a over sorted-key JSON, in the safe alphabet", () => {
    // FNV-1a 32 reference values.
    expect(fnv1a32(new TextEncoder().encode(""))).to.equal(0x811c9dc5);
    expect(fnv1a32(new TextEncoder().encode("a"))).to.equal(0xe40c292c);
    expect(fnv1a32(new TextEncoder().encode("foobar"))).to.equal(0xbf9cf968);
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).to.equal(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    const a = {
      metadata: { labels: { app: "web", tier: "x" } },
      spec: { containers: [{ name: "c", image: "i" }] },
    };
    const b = {
      spec: { containers: [{ image: "i", name: "c" }] },
      metadata: { labels: { tier: "x", app: "web" } },
    };
    expect(podTemplateHash(a)).to.equal(podTemplateHash(b));
    expect(podTemplateHash(a)).to.match(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    // The decimal digits of the hash, one alphabet letter each.
    const digits = String(fnv1a32(new TextEncoder().encode(canonicalJson(a))));
    expect(podTemplateHash(a)).to.have.length(digits.length);
    expect(podTemplateHash(a, 0)).to.not.equal(podTemplateHash(a));
    expect(podTemplateHash(a, 1)).to.not.equal(podTemplateHash(a, 0));
    const changed = structuredClone(a);
    changed.spec.containers[0].image = "j";
    expect(podTemplateHash(changed)).to.not.equal(podTemplateHash(a));
  });

  it("compares templates ignoring the pod-template-hash label and zero values", () => {
    const t = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c" }] } };
    const hashed = {
      metadata: { labels: { app: "web", "pod-template-hash": "abc" } },
      spec: { containers: [{ name: "c" }], volumes: [] },
    };
    expect(equalIgnoringHash(t, hashed)).to.equal(true);
    expect(equalIgnoringHash(t, { ...hashed, spec: { containers: [{ name: "d" }] } })).to.equal(
      false,
    );
  });

  it("resolves maxSurge up and maxUnavailable down, never both 0", () => {
    const p = "spec.strategy.rollingUpdate";
    expect(resolveFenceposts("25%", "25%", 10, p)).to.deep.equal({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts("0%", "1%", 2, p)).to.deep.equal({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts("1%", "25%", 2, p)).to.deep.equal({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(2, 0, 2, p)).to.deep.equal({ surge: 2, unavailable: 0 });
    expect(() => resolveFenceposts("5", 0, 2, p))
      .to.throw(BerthError, "must be a non-negative integer or a percentage")
      .with.property("field", "spec.strategy.rollingUpdate.maxSurge");
  });

  it("refuses an unknown strategy or a missing uid, naming the field", () => {
    const odd = deployment("web", 1, "web:v1", { type: "BlueGreen" });
    expect(() => reconcileDeployment(odd, [], [], now))
      .to.throw(BerthError, "BlueGreen")
      .with.property("field", "spec.strategy.type");
    const noUid = deployment("web", 1, "web:v1");
    delete noUid.metadata!.uid;
    expect(() => reconcileDeployment(noUid, [], [], now))
      .to.throw(BerthError)
      .with.property("field", "metadata.uid");
  });

  it("only reports status while the Deployment is being deleted", () => {
    const world = new World(deployment("web", 2, "web:v1"));
    world.runToCompletion();
    world.deployment.metadata!.deletionTimestamp = "2024-05-01T10:01:00Z";
    world.updateSpec((spec) => {
      spec.replicas = 5;
      spec.template.spec.containers[0].image = "web:v2";
    });
    const plan = world.runDeploymentController();
    expect(plan.createReplicaSet).to.equal(undefined);
    expect(plan.scale).to.deep.equal([]);
    expect(plan.status).to.include({ observedGeneration: 2, replicas: 2, availableReplicas: 2 });
  });

  it("does nothing but observe with a selector that selects everything", () => {
    const d = deployment("web", 2, "web:v1");
    (d.spec as any).selector = {};
    const orphan = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "x", namespace: "default", uid: "x" },
      spec: { selector: {}, template: {} },
    };
    const plan = reconcileDeployment(d, [orphan], [], now);
    expect(plan.adopt).to.deep.equal([]);
    expect(plan.createReplicaSet).to.equal(undefined);
    expect(plan.status.observedGeneration).to.equal(1);
  });

  it("surfaces a ReplicaSet's ReplicaFailure on the Deployment", () => {
    const world = new World(deployment("web", 2, "web:v1"));
    world.runToCompletion();
    const rs = world.replicaSets[0] as any;
    rs.status.conditions = [
      {
        type: "ReplicaFailure",
        status: "True",
        lastTransitionTime: "2024-05-01T10:00:30Z",
        reason: "FailedCreate",
        message: "quota",
      },
    ];
    world.updateSpec((spec) => (spec.template.spec.containers[0].image = "web:v2"));
    const plan = world.runDeploymentController();
    expect(plan.status.conditions.find((c) => c.type === "ReplicaFailure")).to.deep.equal({
      type: "ReplicaFailure",
      status: "True",
      lastUpdateTime: "2024-05-01T10:00:30Z",
      lastTransitionTime: "2024-05-01T10:00:30Z",
      reason: "FailedCreate",
      message: "quota",
    });
  });

  it("releases a ReplicaSet whose labels no longer match", () => {
    const world = new World(deployment("web", 2, "web:v1"));
    world.runToCompletion();
    world.replicaSets[0].metadata!.labels = { app: "detached" };
    const plan = world.runDeploymentController();
    expect(plan.release).to.have.length(1);
    expect(plan.release[0].metadata!.ownerReferences).to.deep.equal([]);
    // The template needs a new ReplicaSet, but the released one still holds its name: a collision,
    // so the next pass hashes with collisionCount 1.
    expect(plan.createReplicaSet).to.equal(undefined);
    expect(plan.status.collisionCount).to.equal(1);
    const next = world.runDeploymentController();
    expect(next.createReplicaSet?.metadata?.name).to.not.equal(world.replicaSets[0].metadata!.name);
    expect(
      next.createReplicaSet?.metadata?.annotations?.["deployment.kubernetes.io/revision"],
    ).to.equal("1");
  });
});
