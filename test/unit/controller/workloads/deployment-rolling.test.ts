import { expect } from "chai";
import { World, deployment } from "./fake-world.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

interface Case {
  replicas: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
  /** The limits the case resolves to, worked out by hand (surge rounds up, unavailable down). */
  surge: number;
  unavailable: number;
  minReadySeconds?: number;
}

const cases: Case[] = [
  { replicas: 10, maxSurge: "25%", maxUnavailable: "25%", surge: 3, unavailable: 2 },
  { replicas: 10, maxSurge: 3, maxUnavailable: 2, surge: 3, unavailable: 2 },
  { replicas: 5, maxSurge: 0, maxUnavailable: 1, surge: 0, unavailable: 1 },
  { replicas: 5, maxSurge: 1, maxUnavailable: 0, surge: 1, unavailable: 0 },
  { replicas: 3, maxSurge: "50%", maxUnavailable: "0%", surge: 2, unavailable: 0 },
  { replicas: 4, maxSurge: "0%", maxUnavailable: "30%", surge: 0, unavailable: 1 },
  // Both resolve to 0: one pod may be unavailable so the rollout can move.
  { replicas: 7, maxSurge: "0%", maxUnavailable: "1%", surge: 0, unavailable: 1 },
  { replicas: 1, maxSurge: 0, maxUnavailable: 1, surge: 0, unavailable: 1 },
  { replicas: 1, maxSurge: 1, maxUnavailable: 0, surge: 1, unavailable: 0 },
  { replicas: 20, maxSurge: "10%", maxUnavailable: "20%", surge: 2, unavailable: 4 },
  { replicas: 6, maxSurge: 2, maxUnavailable: 1, surge: 2, unavailable: 1, minReadySeconds: 3 },
];

function rollingWorld(c: Case): World {
  const d = deployment(
    "web",
    c.replicas,
    "web:v1",
    {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable },
    },
    { minReadySeconds: c.minReadySeconds ?? 0 },
  );
  const world = new World(d);
  world.runToCompletion();
  return world;
}

function deploymentPods(world: World): { total: number; available: number } {
  return {
    total: world.livePods().length,
    available: world.availablePods(Number((world.deployment.spec as any).minReadySeconds ?? 0))
      .length,
  };
}

describe("controller/workloads Deployment rolling update", () => {
  for (const c of cases) {
    const label = `replicas ${c.replicas}, maxSurge ${c.maxSurge}, maxUnavailable ${c.maxUnavailable}${c.minReadySeconds ? `, minReadySeconds ${c.minReadySeconds}` : ""}`;
    it(`rolls ${label} within ${c.replicas + c.surge} pods and ${c.replicas - c.unavailable} available at every step`, () => {
      const world = rollingWorld(c);
      expect(world.livePods()).to.have.length(c.replicas);
      world.updateSpec((spec) => (spec.template.spec.containers[0].image = "web:v2"));

      let maxTotal = 0;
      let minAvailable = Infinity;
      const check = () => {
        const { total, available } = deploymentPods(world);
        expect(total, `pods at ${world.nowDate.toISOString()}`).to.be.at.most(c.replicas + c.surge);
        expect(available, `available at ${world.nowDate.toISOString()}`).to.be.at.least(
          c.replicas - c.unavailable,
        );
        maxTotal = Math.max(maxTotal, total);
        minAvailable = Math.min(minAvailable, available);
      };
      const steps = world.runToCompletion(300, check);

      const newRS = world.replicaSetForImage("web:v2")!;
      const oldRS = world.replicaSetForImage("web:v1")!;
      expect((newRS.spec as any).replicas).to.equal(c.replicas);
      expect((oldRS.spec as any).replicas).to.equal(0);
      expect(world.podsOf(newRS)).to.have.length(c.replicas);
      expect(world.podsOf(oldRS)).to.have.length(0);
      // The limits are used, not just respected: the rollout surges and dips as far as allowed.
      expect(maxTotal, "peak pod count").to.equal(c.replicas + c.surge);
      expect(minAvailable, "lowest availability").to.equal(c.replicas - c.unavailable);
      expect(steps).to.be.below(100);
      expect(world.deployment.metadata!.annotations!["deployment.kubernetes.io/revision"]).to.equal(
        "2",
      );
    });
  }

  it("holds the limits when ReplicaSet controllers lag behind the Deployment controller", () => {
    // The wiring is asynchronous: a Deployment pass may see a scale-down not yet carried out.
    for (const every of [2, 3]) {
      const world = new World(
        deployment("web", 10, "web:v1", {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: 3, maxUnavailable: 2 },
        }),
        { replicaSetEvery: every },
      );
      world.runToCompletion();
      world.updateSpec((spec) => (spec.template.spec.containers[0].image = "web:v2"));
      world.runToCompletion(300, () => {
        expect(world.livePods().length).to.be.at.most(13);
        expect(world.availablePods().length).to.be.at.least(8);
      });
    }
  });

  it("keeps old pods while the new ones never become ready", () => {
    const world = new World(
      deployment("web", 4, "web:v1", {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: 1, maxUnavailable: 1 },
      }),
      { brokenImage: "web:broken" },
    );
    world.runToCompletion();
    world.updateSpec((spec) => (spec.template.spec.containers[0].image = "web:broken"));
    for (let i = 0; i < 30; i++) {
      world.step();
      expect(world.livePods().length).to.be.at.most(5);
      expect(world.availablePods().length).to.be.at.least(3);
    }
    // One old pod gave way to the surge and the unavailable allowance; no more.
    expect(world.podsOf(world.replicaSetForImage("web:v1")).length).to.equal(3);
    expect(world.podsOf(world.replicaSetForImage("web:broken")).length).to.equal(2);
    expect(world.condition("Available")).to.include({
      status: "True",
      reason: "MinimumReplicasAvailable",
    });
  });
});
