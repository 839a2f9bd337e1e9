import { expect } from "chai";
import { schedulePod } from "../../../../controller/scheduler/algorithm/index.js";
import { expr, makeNode, makePod, requiredAffinity, type PodOptions } from "./fixtures.js";
import { placedOn, snapshotOf, unschedulable } from "./helpers.js";

describe("controller/scheduler filters", () => {
  describe("NodeUnschedulable", () => {
    it("skips a cordoned node unless the pod tolerates node.kubernetes.io/unschedulable", () => {
      const s = snapshotOf([makeNode("cordoned", { unschedulable: true })]);
      expect(unschedulable(makePod("p"), s).reasons).to.deep.equal({
        "node(s) were unschedulable": 1,
      });
      const tolerant = makePod("t", {
        tolerations: [
          { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
        ],
      });
      expect(placedOn(tolerant, s)).to.equal("cordoned");
    });
  });

  describe("TaintToleration", () => {
    const tainted = (effect: string) =>
      snapshotOf([makeNode("n", { taints: [{ key: "dedicated", value: "gpu", effect }] })]);

    it("keeps pods off NoSchedule and NoExecute taints they do not tolerate", () => {
      for (const effect of ["NoSchedule", "NoExecute"]) {
        expect(unschedulable(makePod("p"), tainted(effect)).reasons).to.deep.equal({
          "node(s) had untolerated taint {dedicated: gpu}": 1,
        });
      }
      expect(placedOn(makePod("p"), tainted("PreferNoSchedule"))).to.equal("n");
    });

    it("matches tolerations by key, value and effect (Equal by default, Exists ignores value)", () => {
      const s = tainted("NoSchedule");
      const fits = (toleration: Record<string, unknown>) =>
        !("unschedulable" in schedulePod(makePod("p", { tolerations: [toleration] }), s));
      expect(fits({ key: "dedicated", value: "gpu", effect: "NoSchedule" })).to.equal(true);
      expect(fits({ key: "dedicated", operator: "Equal", value: "gpu" })).to.equal(true);
      expect(fits({ key: "dedicated", operator: "Exists", effect: "NoSchedule" })).to.equal(true);
      expect(fits({ operator: "Exists" })).to.equal(true);
      expect(fits({ key: "dedicated", value: "cpu", effect: "NoSchedule" })).to.equal(false);
      expect(fits({ key: "dedicated", value: "gpu", effect: "NoExecute" })).to.equal(false);
      expect(fits({ key: "other", operator: "Exists" })).to.equal(false);
    });

    it("reports the first taint the pod does not tolerate", () => {
      const s = snapshotOf([
        makeNode("n", {
          taints: [
            { key: "a", value: "1", effect: "NoSchedule" },
            { key: "b", effect: "NoExecute" },
          ],
        }),
      ]);
      const pod = makePod("p", { tolerations: [{ key: "a", operator: "Exists" }] });
      expect(unschedulable(pod, s).reasons).to.deep.equal({
        "node(s) had untolerated taint {b: }": 1,
      });
    });
  });

  describe("NodeAffinity", () => {
    const nodes = [
      makeNode("ssd-a", { labels: { disk: "ssd", zone: "a", cores: "8" } }),
      makeNode("hdd-b", { labels: { disk: "hdd", zone: "b", cores: "2" } }),
      makeNode("bare"),
    ];
    const s = snapshotOf(nodes);
    // The nodes that would take the pod, each tried as a cluster of its own.
    const candidatesOf = (o: PodOptions) =>
      nodes
        .filter((n) => !("unschedulable" in schedulePod(makePod("p", o), snapshotOf([n]))))
        .map((n) => n.metadata?.name);

    it("requires every nodeSelector label", () => {
      expect(candidatesOf({ nodeSelector: { disk: "ssd" } })).to.deep.equal(["ssd-a"]);
      expect(candidatesOf({ nodeSelector: { disk: "ssd", zone: "b" } })).to.deep.equal([]);
    });

    it("supports In, NotIn, Exists, DoesNotExist, Gt and Lt", () => {
      const one = (e: ReturnType<typeof expr>) =>
        candidatesOf({ affinity: requiredAffinity({ matchExpressions: [e] }) });
      expect(one(expr("zone", "In", ["a", "c"]))).to.deep.equal(["ssd-a"]);
      expect(one(expr("zone", "NotIn", ["a"]))).to.deep.equal(["hdd-b", "bare"]);
      expect(one(expr("disk", "Exists"))).to.deep.equal(["ssd-a", "hdd-b"]);
      expect(one(expr("disk", "DoesNotExist"))).to.deep.equal(["bare"]);
      expect(one(expr("cores", "Gt", ["4"]))).to.deep.equal(["ssd-a"]);
      expect(one(expr("cores", "Lt", ["4"]))).to.deep.equal(["hdd-b"]);
    });

    it("ORs terms and ANDs the expressions within one", () => {
      const affinity = requiredAffinity(
        { matchExpressions: [expr("disk", "In", ["ssd"]), expr("zone", "In", ["b"])] },
        { matchExpressions: [expr("disk", "DoesNotExist")] },
      );
      expect(candidatesOf({ affinity })).to.deep.equal(["bare"]);
    });

    it("matches metadata.name through matchFields", () => {
      const affinity = requiredAffinity({ matchFields: [expr("metadata.name", "In", ["hdd-b"])] });
      expect(placedOn(makePod("p", { affinity }), s)).to.equal("hdd-b");
      const notIn = requiredAffinity({ matchFields: [expr("metadata.name", "NotIn", ["hdd-b"])] });
      expect(candidatesOf({ affinity: notIn })).to.deep.equal(["ssd-a", "bare"]);
    });

    it("never matches a malformed or empty term", () => {
      const bad = requiredAffinity({ matchExpressions: [expr("cores", "Gt", ["four"])] });
      expect(candidatesOf({ affinity: bad })).to.deep.equal([]);
      expect(candidatesOf({ affinity: requiredAffinity({}) })).to.deep.equal([]);
      expect(unschedulable(makePod("p", { affinity: bad }), s).reasons).to.deep.equal({
        "node(s) didn't match Pod's node affinity/selector": 3,
      });
    });
  });

  describe("NodePorts", () => {
    const withPort = (port: number, protocol?: string, hostIP?: string) =>
      makePod(`p${port}`, { hostPorts: [{ hostPort: port, protocol, hostIP }] });
    const busy = (protocol?: string, hostIP?: string) =>
      snapshotOf(
        [makeNode("n")],
        [makePod("holder", { nodeName: "n", hostPorts: [{ hostPort: 80, protocol, hostIP }] })],
      );

    it("refuses a host port already bound for the same protocol", () => {
      expect(unschedulable(withPort(80), busy()).reasons).to.deep.equal({
        "node(s) didn't have free ports for the requested pod ports": 1,
      });
      expect(placedOn(withPort(81), busy())).to.equal("n");
      expect(placedOn(withPort(80, "UDP"), busy())).to.equal("n");
    });

    it("treats 0.0.0.0 as every address, and distinct addresses as distinct", () => {
      expect("unschedulable" in schedulePod(withPort(80, "TCP", "10.0.0.1"), busy())).to.equal(
        true,
      );
      expect("unschedulable" in schedulePod(withPort(80), busy("TCP", "10.0.0.1"))).to.equal(true);
      expect(placedOn(withPort(80, "TCP", "10.0.0.2"), busy("TCP", "10.0.0.1"))).to.equal("n");
    });
  });

  describe("NodeResourcesFit", () => {
    it("compares requests with allocatable minus what bound pods request", () => {
      const s = snapshotOf(
        [makeNode("n", { cpu: "2", memory: "1Gi" })],
        [makePod("held", { nodeName: "n", requests: { cpu: "1500m", memory: "512Mi" } })],
      );
      expect(placedOn(makePod("fits", { requests: { cpu: "500m", memory: "512Mi" } }), s)).to.equal(
        "n",
      );
      expect(unschedulable(makePod("big", { requests: { cpu: "501m" } }), s).reasons).to.deep.equal(
        {
          "Insufficient cpu": 1,
        },
      );
    });

    it("lists every short resource of a node", () => {
      const s = snapshotOf([makeNode("n", { cpu: "1", memory: "1Gi", ephemeral: "1Gi" })]);
      const pod = makePod("p", {
        requests: { cpu: "2", memory: "2Gi", "ephemeral-storage": "2Gi", "example.com/gpu": "1" },
      });
      expect(unschedulable(pod, s).reasons).to.deep.equal({
        "Insufficient cpu": 1,
        "Insufficient memory": 1,
        "Insufficient ephemeral-storage": 1,
        "Insufficient example.com/gpu": 1,
      });
    });

    it("counts extended resources against allocatable", () => {
      const s = snapshotOf(
        [makeNode("n", { extra: { "example.com/gpu": "2" } })],
        [makePod("a", { nodeName: "n", requests: { "example.com/gpu": "1" } })],
      );
      expect(placedOn(makePod("b", { limits: { "example.com/gpu": "1" } }), s)).to.equal("n");
      s.addPod(makePod("c", { nodeName: "n", requests: { "example.com/gpu": "1" } }));
      expect(
        unschedulable(makePod("d", { limits: { "example.com/gpu": "1" } }), s).reasons,
      ).to.deep.equal({ "Insufficient example.com/gpu": 1 });
    });

    it("limits the number of pods, even those requesting nothing", () => {
      const s = snapshotOf([makeNode("n", { pods: "1" })], [makePod("a", { nodeName: "n" })]);
      expect(unschedulable(makePod("b"), s).reasons).to.deep.equal({ "Too many pods": 1 });
    });

    it("uses capacity when a node reports no allocatable", () => {
      const s = snapshotOf([makeNode("n", { cpu: "1", capacityOnly: true })]);
      expect(placedOn(makePod("p", { requests: { cpu: "1" } }), s)).to.equal("n");
      expect(
        "unschedulable" in schedulePod(makePod("q", { requests: { cpu: "1001m" } }), s),
      ).to.equal(true);
    });

    it("counts init containers, sidecars and overhead", () => {
      const s = snapshotOf([makeNode("n", { cpu: "1" })]);
      const init = makePod("init", {
        requests: { cpu: "100m" },
        initContainers: [{ name: "i", resources: { requests: { cpu: "1100m" } } }],
      });
      expect("unschedulable" in schedulePod(init, s)).to.equal(true);
      const overhead = makePod("o", { requests: { cpu: "900m" }, overhead: { cpu: "200m" } });
      expect("unschedulable" in schedulePod(overhead, s)).to.equal(true);
      const sidecar = makePod("s", {
        requests: { cpu: "600m" },
        initContainers: [
          { name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
        ],
      });
      expect("unschedulable" in schedulePod(sidecar, s)).to.equal(true);
    });

    it("lets a pod that requests nothing onto an over-committed node", () => {
      const s = snapshotOf(
        [makeNode("n", { cpu: "1" })],
        [makePod("hog", { nodeName: "n", requests: { cpu: "2" } })],
      );
      expect(placedOn(makePod("p"), s)).to.equal("n");
    });
  });
});
