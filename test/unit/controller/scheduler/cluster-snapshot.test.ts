import { expect } from "chai";
import { ClusterSnapshot, schedulePod } from "../../../../controller/scheduler/algorithm/index.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { makeNode, makePod } from "./fixtures.js";

const mi = 1024 * 1024;

describe("controller/scheduler ClusterSnapshot", () => {
  it("sums what bound pods request per node", () => {
    const s = new ClusterSnapshot();
    s.upsertNode(makeNode("n1"));
    s.addPod(makePod("a", { nodeName: "n1", requests: { cpu: "100m", memory: "10Mi" } }));
    s.addPod(makePod("b", { nodeName: "n1", requests: { cpu: "1", "example.com/gpu": "1" } }));
    expect(s.requested("n1")).to.deep.equal({
      cpuMilli: 1100,
      memoryBytes: 10 * mi,
      ephemeralStorageBytes: 0,
      pods: 2,
      scalar: { "example.com/gpu": 1 },
    });
    expect(s.nodeNames()).to.deep.equal(["n1"]);
  });

  it("treats re-adding the same pod (namespace/name/uid) as a replacement", () => {
    const s = new ClusterSnapshot();
    const pod = makePod("a", { nodeName: "n1", requests: { cpu: "100m" } });
    s.addPod(pod);
    s.addPod(pod);
    s.addPod({ ...pod, metadata: { ...pod.metadata, resourceVersion: "9" } });
    expect(s.requested("n1").pods).to.equal(1);
    expect(s.requested("n1").cpuMilli).to.equal(100);
  });

  it("lets Succeeded and Failed pods hold nothing, also when they finish after binding", () => {
    const s = new ClusterSnapshot();
    const running = makePod("a", { nodeName: "n1", requests: { cpu: "1" }, phase: "Running" });
    s.addPod(running);
    s.addPod(makePod("done", { nodeName: "n1", requests: { cpu: "1" }, phase: "Succeeded" }));
    expect(s.requested("n1").cpuMilli).to.equal(1000);
    s.addPod({ ...running, status: { phase: "Failed" } });
    expect(s.requested("n1")).to.include({ cpuMilli: 0, pods: 0 });
  });

  it("ignores pods that are not bound and forgets removed ones", () => {
    const s = new ClusterSnapshot();
    s.addPod(makePod("pending", { requests: { cpu: "1" } }));
    const bound = makePod("bound", { nodeName: "n1", requests: { cpu: "1" } });
    s.addPod(bound);
    s.removePod(bound);
    s.removePod(bound);
    expect(s.requested("n1").pods).to.equal(0);
  });

  it("keeps pods bound to a node it has not seen yet, and after the node goes away", () => {
    const s = new ClusterSnapshot();
    s.addPod(makePod("early", { nodeName: "n1", requests: { cpu: "1" } }));
    expect(s.nodeNames()).to.deep.equal([]);
    s.upsertNode(makeNode("n1"));
    expect(s.requested("n1").cpuMilli).to.equal(1000);
    s.removeNode("n1");
    expect(s.nodeNames()).to.deep.equal([]);
    s.upsertNode(makeNode("n1"));
    expect(s.requested("n1").cpuMilli).to.equal(1000);
  });

  it("counts an assumed pod until the real bound pod replaces it", () => {
    const s = new ClusterSnapshot();
    s.upsertNode(makeNode("n1"));
    const pod = makePod("a", { requests: { cpu: "300m" } });
    const assumed = s.assume(pod, "n1");
    expect((assumed.spec as { nodeName: string }).nodeName).to.equal("n1");
    expect(pod.spec).to.not.have.property("nodeName");
    s.addPod({ ...pod, spec: { ...(pod.spec as object), nodeName: "n1" } });
    expect(s.requested("n1")).to.include({ cpuMilli: 300, pods: 1 });
  });

  it("rejects a node with a bad quantity naming the field, keeping the previous version", () => {
    const s = new ClusterSnapshot();
    s.upsertNode(makeNode("n1", { cpu: "2" }));
    const bad = makeNode("n1", { cpu: "two" });
    expect(() => s.upsertNode(bad)).to.throw(/status\.allocatable\.cpu: quantities must match/);
    expect(() => s.upsertNode(makeNode("n2", { memory: "x" }))).to.throw(/allocatable\.memory/);
    expect(s.nodeNames()).to.deep.equal(["n1"]);
    expect(() => s.upsertNode({ metadata: {} })).to.throw(/metadata\.name is required/);
  });

  it("rejects a bound pod with a bad quantity without changing its totals", () => {
    const s = new ClusterSnapshot();
    const pod = makePod("a", { nodeName: "n1", requests: { cpu: "1" } });
    s.addPod(pod);
    const bad = makePod("a", { nodeName: "n1", requests: { cpu: "1x" } });
    expect(() => s.addPod({ ...bad, metadata: pod.metadata })).to.throw(
      /spec\.containers\[0\]\.resources\.requests\.cpu/,
    );
    expect(s.requested("n1").cpuMilli).to.equal(1000);
  });

  it("reads malformed fields as absent instead of crashing", () => {
    const s = new ClusterSnapshot();
    const oddNode = { metadata: { name: "odd", labels: "x" }, spec: { taints: {} }, status: "?" };
    s.upsertNode(oddNode as unknown as KubeObject);
    s.upsertNode(makeNode("n1"));
    const garbage = {
      metadata: { name: "g", namespace: "default", ownerReferences: "rs" },
      spec: {
        containers: [{ name: "a", resources: { requests: "lots" } }, "not a container"],
        tolerations: { key: "x" },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } },
        nodeSelector: ["disk"],
      },
    };
    expect(schedulePod(garbage as unknown as KubeObject, s)).to.include({ node: "n1" });
  });
});
