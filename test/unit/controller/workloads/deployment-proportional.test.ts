import { expect } from "chai";
import { World, deployment } from "./fake-world.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

const sizes = (world: World) => ({
  old: (world.replicaSetForImage("web:v1")!.spec as any).replicas,
  new: (world.replicaSetForImage("web:v2")!.spec as any).replicas,
});

/** A 10-replica Deployment one step into a rollout from web:v1 to web:v2. */
function midRollout(maxSurge: number | string, maxUnavailable: number | string): World {
  const world = new World(
    deployment("web", 10, "web:v1", {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge, maxUnavailable },
    }),
  );
  world.runToCompletion();
  world.updateSpec((spec) => (spec.template.spec.containers[0].image = "web:v2"));
  world.step();
  return world;
}

describe("controller/workloads Deployment proportional scaling", () => {
  it("grows old and new ReplicaSets in proportion when scaled up mid-rollout", () => {
    const world = midRollout(3, 2);
    expect(sizes(world)).to.deep.equal({ old: 8, new: 3 });
    world.updateSpec((spec) => (spec.replicas = 20));
    const plan = world.runDeploymentController();
    world.runReplicaSetControllers();
    // 20 + 3 surge = 23 shared by max-replicas 13: old 8→14, new 3→5, the leftover 4 to the largest.
    expect(sizes(world)).to.deep.equal({ old: 18, new: 5 });
    for (const scale of plan.scale) {
      expect(scale.annotations).to.deep.equal({
        "deployment.kubernetes.io/desired-replicas": "20",
        "deployment.kubernetes.io/max-replicas": "23",
      });
    }
    // Progress is not judged on a scaling pass.
    expect(plan.createReplicaSet).to.equal(undefined);

    let reachedNewMinimum = false;
    const check = () => {
      const total = world.livePods().length;
      const available = world.availablePods().length;
      expect(total).to.be.at.most(23);
      expect(available, "never below the old minimum").to.be.at.least(8);
      if (available >= 18) reachedNewMinimum = true;
      if (reachedNewMinimum)
        expect(available, "never below the new minimum once reached").to.be.at.least(18);
    };
    world.runToCompletion(200, check);
    expect(reachedNewMinimum).to.equal(true);
    expect(sizes(world)).to.deep.equal({ old: 0, new: 20 });
  });

  it("shrinks in proportion when scaled down mid-rollout, within the new limits", () => {
    const world = midRollout(3, 2);
    world.updateSpec((spec) => (spec.replicas = 5));
    const check = () => {
      expect(world.livePods().length).to.be.at.most(5 + 3);
      expect(world.availablePods().length).to.be.at.least(5 - 2);
    };
    // The new limits hold from the pass that sees the new size on.
    world.step();
    check();
    // 5 + 3 = 8 of 11: the old ReplicaSet gives back its share (8·8/13 ≈ 5), the new keeps 3.
    expect(sizes(world)).to.deep.equal({ old: 5, new: 3 });
    world.runToCompletion(200, check);
    expect(sizes(world)).to.deep.equal({ old: 0, new: 5 });
  });

  it("keeps percentage limits when scaled down mid-rollout", () => {
    const world = midRollout("25%", "25%");
    world.updateSpec((spec) => (spec.replicas = 4));
    // 25% of 4: surge 1, unavailable 1.
    const check = () => {
      expect(world.livePods().length).to.be.at.most(5);
      expect(world.availablePods().length).to.be.at.least(3);
    };
    world.step();
    check();
    world.runToCompletion(200, check);
    expect(sizes(world)).to.deep.equal({ old: 0, new: 4 });
  });

  it("scales the only active ReplicaSet straight to the new size", () => {
    const world = new World(deployment("web", 3, "web:v1"));
    world.runToCompletion();
    world.updateSpec((spec) => (spec.replicas = 1));
    world.step();
    expect((world.replicaSets[0].spec as any).replicas).to.equal(1);
    expect(
      world.replicaSets[0].metadata!.annotations!["deployment.kubernetes.io/desired-replicas"],
    ).to.equal("1");
    world.runToCompletion();
    expect(world.livePods()).to.have.length(1);
  });
});
