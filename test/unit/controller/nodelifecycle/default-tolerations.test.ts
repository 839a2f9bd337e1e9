import { expect } from "chai";
import {
  addDefaultTolerations,
  tolerationSecondsSettings,
} from "../../../../controller/api/objects/default-toleration-seconds.js";
import type { ApiDeps } from "../../../../controller/api/context.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

const pods = builtinResourceTypes.find((t) => t.plural === "pods" && t.group === "")!;
const configMaps = builtinResourceTypes.find((t) => t.plural === "configmaps")!;
const deps = (seconds?: { notReady: number; unreachable: number }) =>
  ({ defaultTolerationSeconds: seconds }) as ApiDeps;
const podWith = (tolerations?: unknown[]): KubeObject => ({
  metadata: { name: "p" },
  spec: { containers: [{ name: "c", image: "i" }], ...(tolerations ? { tolerations } : {}) },
});
const defaultFor = (key: string, seconds: number) => ({
  key,
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds: seconds,
});
const notReady = "node.kubernetes.io/not-ready";
const unreachable = "node.kubernetes.io/unreachable";

describe("DefaultTolerationSeconds admission", () => {
  it("adds not-ready and unreachable NoExecute tolerations, 300 s unless configured", () => {
    const pod = podWith();
    addDefaultTolerations(deps(), pods, pod);
    expect((pod.spec as { tolerations: unknown[] }).tolerations).to.deep.equal([
      defaultFor(notReady, 300),
      defaultFor(unreachable, 300),
    ]);
    const configured = podWith([
      { key: "dedicated", operator: "Equal", value: "x", effect: "NoSchedule" },
    ]);
    addDefaultTolerations(deps({ notReady: 7, unreachable: 0 }), pods, configured);
    expect((configured.spec as { tolerations: unknown[] }).tolerations).to.deep.equal([
      { key: "dedicated", operator: "Equal", value: "x", effect: "NoSchedule" },
      defaultFor(notReady, 7),
      defaultFor(unreachable, 0),
    ]);
  });

  it("adds none for a taint the pod already tolerates for NoExecute (any operator, any seconds)", () => {
    const cases: Array<[unknown[], string[]]> = [
      [[{ key: unreachable, operator: "Exists", effect: "NoExecute" }], [notReady]],
      [[{ key: notReady, operator: "Exists" }], [unreachable]],
      [[{ operator: "Exists" }], []],
      [[{ operator: "Exists", effect: "NoExecute", tolerationSeconds: 5 }], []],
      [[{ key: unreachable, operator: "Exists", effect: "NoSchedule" }], [notReady, unreachable]],
    ];
    for (const [given, addedKeys] of cases) {
      const pod = podWith(given);
      addDefaultTolerations(deps(), pods, pod);
      const tolerations = (pod.spec as { tolerations: Array<{ key?: string }> }).tolerations;
      expect(
        tolerations.slice(given.length).map((t) => t.key),
        JSON.stringify(given),
      ).to.deep.equal(addedKeys);
    }
  });

  it("leaves other kinds alone", () => {
    const cm: KubeObject = { metadata: { name: "c" }, spec: {} };
    addDefaultTolerations(deps(), configMaps, cm);
    expect(cm.spec).to.deep.equal({});
  });

  it("rejects negative or fractional seconds, naming the option", () => {
    expect(tolerationSecondsSettings({})).to.deep.equal({ notReady: 300, unreachable: 300 });
    expect(() => tolerationSecondsSettings({ notReady: -1 })).to.throw(
      /defaultNotReadyTolerationSeconds must be a whole number of seconds, 0 or more, not -1/,
    );
    expect(() => tolerationSecondsSettings({ unreachable: 1.5 }))
      .to.throw(/defaultUnreachableTolerationSeconds/)
      .with.property("field", "defaultUnreachableTolerationSeconds");
  });

  describe("on pod create through the API", () => {
    let api: MemoryApi;
    beforeEach(async () => {
      api = await startMemoryApi();
      await api.request("POST", "/api/v1/namespaces", { metadata: { name: "shop" } });
    });
    afterEach(() => api.close());

    it("stores and answers the tolerations (dry run too), but not on update", async () => {
      const created = await api.request("POST", "/api/v1/namespaces/shop/pods", podWith());
      expect(created.status, created.text).to.equal(201);
      expect(created.body.spec.tolerations).to.deep.equal([
        defaultFor(notReady, 300),
        defaultFor(unreachable, 300),
      ]);
      const stored = await api.request("GET", "/api/v1/namespaces/shop/pods/p");
      expect(stored.body.spec.tolerations).to.deep.equal(created.body.spec.tolerations);
      // Not recorded as the creator's fields, as in Kubernetes (admission runs after field tracking).
      expect(JSON.stringify(stored.body.metadata.managedFields)).to.not.include("tolerations");
      const dry = await api.request("POST", "/api/v1/namespaces/shop/pods?dryRun=All", {
        ...podWith(),
        metadata: { name: "dry" },
      });
      expect(dry.body.spec.tolerations).to.have.length(2);
      const relabelled = await api.request(
        "PATCH",
        "/api/v1/namespaces/shop/pods/p",
        { metadata: { labels: { a: "b" } } },
        { "content-type": "application/merge-patch+json" },
      );
      expect(relabelled.status, relabelled.text).to.equal(200);
      expect(relabelled.body.spec.tolerations).to.have.length(2);
    });

    it("admits a pod that lists them itself unchanged", async () => {
      const own = [defaultFor(notReady, 10), defaultFor(unreachable, 20)];
      const created = await api.request("POST", "/api/v1/namespaces/shop/pods", podWith(own));
      expect(created.body.spec.tolerations).to.deep.equal(own);
    });
  });
});
