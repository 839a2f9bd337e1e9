import { expect } from "chai";
import { clone } from "../../../../controller/api/objects/api-object.js";
import { recordManager } from "../../../../controller/api/objects/managed-fields.js";
import { recordUpdateManager } from "../../../../controller/patch/update-manager.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";

const t0 = "2026-01-01T00:00:00Z";
const t1 = "2026-01-01T00:00:05Z";

function createdPod(): KubeObject {
  return recordManager(
    undefined,
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "ns", labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "busybox" }], nodeName: "n1" },
      status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] },
    },
    { manager: "kubectl", operation: "Update", now: t0 },
  );
}

/** What the general path records for the same write. */
function full(old: KubeObject, next: KubeObject, manager: string): KubeObject {
  return recordUpdateManager(old, next, manager, "v1", t1, "status");
}

function withStatus(pod: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...clone(pod), status };
}

describe("controller/api/objects managed fields of status-only writes", () => {
  const cases: Record<string, (pod: KubeObject) => KubeObject> = {
    "a new condition and phase": (pod) =>
      withStatus(pod, {
        phase: "Running",
        podIP: "10.0.0.2",
        conditions: [
          { type: "PodScheduled", status: "True" },
          { type: "Ready", status: "True" },
        ],
      }),
    "a removed condition": (pod) => withStatus(pod, { phase: "Pending" }),
    "no change at all": (pod) => clone(pod),
    "status gone": (pod) => {
      const next = clone(pod);
      delete next.status;
      return next;
    },
  };
  for (const [name, change] of Object.entries(cases)) {
    it(`records what the general path records: ${name}`, () => {
      const old = createdPod();
      for (const manager of ["kubelet", "kubectl"]) {
        const next = change(old);
        const fast = recordManager(old, next, {
          manager,
          operation: "Update",
          now: t1,
          subresource: "status",
        });
        expect(fast).to.deep.equal(full(old, next, manager));
        // Recorded from the status alone: the rest is neither walked nor copied.
        expect(fast.spec).to.equal(next.spec);
      }
    });
  }

  it("takes the general path when more than status changed", () => {
    const old = createdPod();
    const next = withStatus(old, { phase: "Running" });
    (next.spec as { nodeName: string }).nodeName = "n2";
    next.metadata = { ...next.metadata, labels: { app: "other" } };
    const recorded = recordManager(old, next, {
      manager: "kubelet",
      operation: "Update",
      now: t1,
      subresource: "status",
    });
    expect(recorded).to.deep.equal(full(old, next, "kubelet"));
    const kubelet = recorded.metadata?.managedFields?.find((m) => m.manager === "kubelet");
    expect(JSON.stringify(kubelet?.fieldsV1)).to.include("f:nodeName");
  });

  it("never modifies the objects it is given", () => {
    const old = createdPod();
    const next = withStatus(old, { phase: "Running" });
    const before = [clone(old), clone(next)];
    recordManager(old, next, {
      manager: "kubelet",
      operation: "Update",
      now: t1,
      subresource: "status",
    });
    expect([old, next]).to.deep.equal(before);
  });
});

describe("controller/api/objects clone", () => {
  it("copies as a JSON round trip would", () => {
    const value = {
      a: 1,
      b: [1, undefined, Number.NaN, { c: undefined, d: null }],
      e: undefined,
      f: { g: "x", h: new Date(0) },
      i: Number.POSITIVE_INFINITY,
    };
    expect(clone(value)).to.deep.equal(JSON.parse(JSON.stringify(value)));
  });

  it("keeps a __proto__ key as an own member, never as the prototype", () => {
    const value = JSON.parse('{"data":{"__proto__":{"polluted":true},"k":"v"}}');
    const copy = clone(value);
    expect(Object.hasOwn(copy.data, "__proto__")).to.equal(true);
    expect(copy.data.polluted).to.equal(undefined);
    expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
    expect(JSON.stringify(copy)).to.equal(JSON.stringify(value));
  });

  it("shares nothing with the original", () => {
    const value = { a: { b: [{ c: 1 }] } };
    const copy = clone(value);
    copy.a.b[0].c = 2;
    expect(value.a.b[0].c).to.equal(1);
  });
});
