import { expect } from "chai";
import { reconcileDeployment } from "../../../../controller/workloads/deployment-controller.js";
import { podTemplateHash } from "../../../../controller/workloads/pod-template-hash.js";
import { World, deployment } from "./fake-world.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

const revision = "deployment.kubernetes.io/revision";
const setImage = (image: string) => (spec: any) => (spec.template.spec.containers[0].image = image);
const annotations = (obj: any) => obj.metadata.annotations ?? {};

describe("controller/workloads Deployment lifecycle", () => {
  it("creates revision 1 on the first pass, named and labelled by the template hash", () => {
    const d = deployment("web", 3, "web:v1");
    d.metadata!.annotations = { "kubernetes.io/change-cause": "first" };
    const now = new Date("2024-05-01T10:00:00Z");
    const plan = reconcileDeployment(d, [], [], now);
    const hash = podTemplateHash((d.spec as any).template);
    expect(hash).to.match(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    const rs = plan.createReplicaSet as any;
    expect(rs.metadata).to.deep.equal({
      name: `web-${hash}`,
      namespace: "default",
      labels: { app: "web", "pod-template-hash": hash },
      annotations: {
        "kubernetes.io/change-cause": "first",
        [revision]: "1",
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: "web",
          uid: "web-uid",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(rs.spec.replicas).to.equal(3);
    expect(rs.spec.selector).to.deep.equal({
      matchLabels: { app: "web", "pod-template-hash": hash },
    });
    expect(rs.spec.template.metadata.labels).to.deep.equal({
      app: "web",
      "pod-template-hash": hash,
    });
    expect(plan.deploymentRevision).to.equal("1");
    expect(plan.status).to.deep.include({
      observedGeneration: 1,
      replicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 3,
    });
    expect(plan.status.conditions.map((c) => [c.type, c.status, c.reason])).to.deep.equal([
      ["Progressing", "True", "NewReplicaSetCreated"],
      ["Available", "False", "MinimumReplicasUnavailable"],
    ]);
    expect(plan.status.conditions[0].message).to.equal(`Created new replica set "web-${hash}"`);
    // The deployment's own input is not modified.
    expect(d.status).to.equal(undefined);
  });

  it("reports the conditions kubectl rollout status waits for", () => {
    const world = new World(deployment("web", 2, "web:v1"));
    world.runToCompletion();
    expect(world.deployment.status).to.deep.include({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 0,
    });
    const progressing = world.condition("Progressing");
    expect(progressing).to.include({ status: "True", reason: "NewReplicaSetAvailable" });
    expect(progressing.message).to.match(
      /^ReplicaSet "web-[a-z0-9]+" has successfully progressed\.$/,
    );
    expect(world.condition("Available")).to.include({
      status: "True",
      reason: "MinimumReplicasAvailable",
    });
    // Steady state: the conditions' times no longer move.
    const before = structuredClone(world.deployment.status);
    world.step();
    world.step();
    expect(world.deployment.status).to.deep.equal(before);
    expect(world.lastPlan!.scale).to.deep.equal([]);
  });

  it("recreates: every old pod is gone before a new one starts", () => {
    const world = new World(deployment("web", 3, "web:v1", { type: "Recreate" }));
    world.runToCompletion();
    world.updateSpec(setImage("web:v2"));
    let sawGap = false;
    const check = () => {
      const oldPods = world.podsOf(world.replicaSetForImage("web:v1"));
      const newPods = world.podsOf(world.replicaSetForImage("web:v2"));
      expect(oldPods.length > 0 && newPods.length > 0, "old and new pods side by side").to.equal(
        false,
      );
      if (oldPods.length === 0 && newPods.length === 0) sawGap = true;
    };
    world.runToCompletion(100, check);
    expect(sawGap).to.equal(true);
    expect(world.podsOf(world.replicaSetForImage("web:v2"))).to.have.length(3);
    expect(world.condition("Available")).to.include({ status: "True" });
  });

  it("rolls back to the old ReplicaSet and gives it the next revision", () => {
    const world = new World(deployment("web", 3, "web:v1"));
    world.runToCompletion();
    world.updateSpec(setImage("web:v2"));
    world.runToCompletion();
    const v1 = world.replicaSetForImage("web:v1")!;
    expect(annotations(v1)[revision]).to.equal("1");
    expect(annotations(world.replicaSetForImage("web:v2"))[revision]).to.equal("2");

    // kubectl rollout undo: the old template, without its hash label, patched back.
    world.updateSpec((spec) => {
      spec.template = structuredClone((v1.spec as any).template);
      delete spec.template.metadata.labels["pod-template-hash"];
    });
    world.runToCompletion();
    expect(world.replicaSets).to.have.length(2);
    const back = world.replicaSetForImage("web:v1")!;
    expect(back.metadata!.name).to.equal(v1.metadata!.name);
    expect(annotations(back)[revision]).to.equal("3");
    expect(annotations(back)["deployment.kubernetes.io/revision-history"]).to.equal("1");
    expect(annotations(world.deployment)[revision]).to.equal("3");
    expect((back.spec as any).replicas).to.equal(3);
    expect((world.replicaSetForImage("web:v2")!.spec as any).replicas).to.equal(0);

    // And forward again: v2 becomes revision 4, remembering 2.
    world.updateSpec(setImage("web:v2"));
    world.runToCompletion();
    const v2 = world.replicaSetForImage("web:v2")!;
    expect(annotations(v2)[revision]).to.equal("4");
    expect(annotations(v2)["deployment.kubernetes.io/revision-history"]).to.equal("2");
  });

  it("keeps revisionHistoryLimit old ReplicaSets, deleting the oldest idle ones", () => {
    const world = new World(deployment("web", 2, "web:v1", undefined, { revisionHistoryLimit: 2 }));
    world.runToCompletion();
    for (const v of ["v2", "v3", "v4", "v5"]) {
      world.updateSpec(setImage(`web:${v}`));
      world.runToCompletion();
      world.step();
    }
    const images = world.replicaSets.map(
      (rs) => (rs.spec as any).template.spec.containers[0].image,
    );
    expect(images.sort()).to.deep.equal(["web:v3", "web:v4", "web:v5"]);
    expect(world.replicaSets.map((rs) => annotations(rs)[revision]).sort()).to.deep.equal([
      "3",
      "4",
      "5",
    ]);
  });

  it("never deletes an old ReplicaSet that still has replicas", () => {
    const world = new World(deployment("web", 2, "web:v1", undefined, { revisionHistoryLimit: 0 }));
    world.runToCompletion();
    world.updateSpec(setImage("web:v2"));
    world.step();
    // Mid-rollout the old ReplicaSet is beyond the limit of 0 but still running pods.
    expect(world.replicaSetForImage("web:v1")).to.not.equal(undefined);
    world.runToCompletion();
    world.step();
    expect(world.replicaSetForImage("web:v1")).to.equal(undefined);
  });

  it("does not roll while paused but still scales, and rolls once resumed", () => {
    const world = new World(deployment("web", 3, "web:v1"));
    world.runToCompletion();
    world.updateSpec((spec) => {
      spec.paused = true;
      spec.template.spec.containers[0].image = "web:v2";
    });
    for (let i = 0; i < 5; i++) world.step();
    expect(world.replicaSetForImage("web:v2")).to.equal(undefined);
    expect(world.condition("Progressing")).to.include({
      status: "Unknown",
      reason: "DeploymentPaused",
    });
    expect(world.deployment.status).to.include({ observedGeneration: 2, updatedReplicas: 0 });

    world.updateSpec((spec) => (spec.replicas = 5));
    for (let i = 0; i < 3; i++) world.step();
    expect((world.replicaSetForImage("web:v1")!.spec as any).replicas).to.equal(5);
    expect(world.livePods()).to.have.length(5);
    expect(world.replicaSetForImage("web:v2")).to.equal(undefined);

    world.updateSpec((spec) => (spec.paused = false));
    world.step();
    expect(world.replicaSetForImage("web:v2")).to.not.equal(undefined);
    world.runToCompletion();
    expect(world.podsOf(world.replicaSetForImage("web:v2"))).to.have.length(5);
  });

  it("reports ProgressDeadlineExceeded when the new pods never become ready", () => {
    const world = new World(
      deployment("web", 2, "web:v1", undefined, { progressDeadlineSeconds: 30 }),
      { brokenImage: "web:broken" },
    );
    world.runToCompletion();
    world.updateSpec(setImage("web:broken"));
    world.step();
    world.step();
    const lastProgress = world.condition("Progressing");
    expect(lastProgress.status).to.equal("True");
    expect(["NewReplicaSetCreated", "ReplicaSetUpdated"]).to.include(lastProgress.reason);
    // Nothing changes any more: the deadline counts from the last progress.
    let timedOutAt: number | undefined;
    for (let i = 0; i < 40 && timedOutAt === undefined; i++) {
      world.step();
      if (world.condition("Progressing").reason === "ProgressDeadlineExceeded")
        timedOutAt = world.now;
    }
    const updated = Date.parse(lastProgress.lastUpdateTime);
    expect(timedOutAt).to.equal(updated + 31_000);
    const cond = world.condition("Progressing");
    expect(cond.status).to.equal("False");
    expect(cond.message).to.match(/^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/);
    // The old pods still serve.
    expect(world.condition("Available")).to.include({ status: "True" });
  });

  it("tells the caller when the progress deadline falls due", () => {
    const world = new World(
      deployment("web", 2, "web:v1", undefined, { progressDeadlineSeconds: 30 }),
      { brokenImage: "web:broken" },
    );
    world.runToCompletion();
    world.updateSpec(setImage("web:broken"));
    world.step();
    world.step();
    world.step();
    const cond = world.condition("Progressing");
    expect(world.lastPlan!.recheckAt?.getTime()).to.equal(Date.parse(cond.lastUpdateTime) + 31_000);
  });

  it("adopts an orphaned ReplicaSet of its template instead of creating another", () => {
    const world = new World(deployment("web", 2, "web:v1"));
    world.runToCompletion();
    const rs = world.replicaSets[0];
    rs.metadata!.ownerReferences = [];
    const plan = world.runDeploymentController();
    expect(plan.adopt.map((r) => r.metadata?.name)).to.deep.equal([rs.metadata!.name]);
    expect(plan.createReplicaSet).to.equal(undefined);
    expect(world.replicaSets[0].metadata!.ownerReferences![0]).to.include({
      uid: "web-uid",
      controller: true,
    });
  });

  it("bumps collisionCount when its ReplicaSet name is taken by another template", () => {
    const d = deployment("web", 2, "web:v1");
    const hash = podTemplateHash((d.spec as any).template);
    const squatter = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `web-${hash}`,
        namespace: "default",
        uid: "other",
        labels: { app: "other" },
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "other" } },
        template: { metadata: { labels: { app: "other" } }, spec: { containers: [] } },
      },
    };
    const now = new Date("2024-05-01T10:00:00Z");
    const plan = reconcileDeployment(d, [squatter], [], now);
    expect(plan.createReplicaSet).to.equal(undefined);
    expect(plan.status.collisionCount).to.equal(1);
    expect(plan.recheckAt?.getTime()).to.equal(now.getTime());
    const retry = reconcileDeployment({ ...d, status: plan.status }, [squatter], [], now);
    const newHash = podTemplateHash((d.spec as any).template, 1);
    expect(newHash).to.not.equal(hash);
    expect(retry.createReplicaSet?.metadata?.name).to.equal(`web-${newHash}`);
  });
});
