import { expect } from "chai";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { World, deployment } from "./fake-world.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

const imageOf = (rs: KubeObject) => (rs.spec as any).template.spec.containers[0].image;

describe("controller/workloads Deployment surge while an old ReplicaSet's scale-down lags", () => {
  // The new ReplicaSet's controller acts at once, the old ones' only every third step: pods the
  // old ReplicaSets are about to lose still run, so the new one must not grow into their room.
  for (const [replicas, maxSurge, maxUnavailable] of [
    [20, 3, 2],
    [20, 1, 0],
    [6, 2, 1],
    [10, "25%", "25%"],
  ] as const) {
    it(`stays within ${replicas} + maxSurge ${maxSurge} pods (maxUnavailable ${maxUnavailable})`, () => {
      let current = "web:v1";
      const world = new World(
        deployment("web", replicas, current, {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge, maxUnavailable },
        }),
        { replicaSetSkips: (rs, step) => imageOf(rs) !== current && step % 3 !== 0 },
      );
      world.runToCompletion();
      const surge = typeof maxSurge === "number" ? maxSurge : Math.ceil(replicas / 4);
      const unavailable =
        typeof maxUnavailable === "number" ? maxUnavailable : Math.floor(replicas / 4);
      let highest = 0;
      for (const image of ["web:v2", "web:v3"]) {
        current = image;
        world.updateSpec((spec) => (spec.template.spec.containers[0].image = image));
        world.runToCompletion(400, () => {
          highest = Math.max(highest, world.livePods().length);
          expect(world.livePods().length).to.be.at.most(replicas + surge);
          expect(world.availablePods().length).to.be.at.least(replicas - unavailable);
        });
        expect(world.livePods().map((p) => (p.spec as any).containers[0].image)).to.deep.equal(
          Array(replicas).fill(image),
        );
      }
      expect(highest).to.equal(replicas + surge);
    });
  }
});
