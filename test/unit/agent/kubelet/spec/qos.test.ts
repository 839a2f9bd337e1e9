import { expect } from "chai";
import {
  computeQosClass,
  containerOomScoreAdj,
  podQosClass,
} from "../../../../../agent/kubelet/spec/qos.js";
import { makePod, withResources } from "./pod-fixture.js";

const gi = 1024n ** 3n;

describe("agent/kubelet/spec qos class", () => {
  it("is BestEffort when no container requests or limits cpu or memory", () => {
    expect(computeQosClass(makePod())).to.equal("BestEffort");
  });

  it("is Guaranteed when every container's cpu and memory limits equal its requests", () => {
    const pod = makePod({
      containers: [
        withResources("a", { cpu: "500m", memory: "128Mi" }, { cpu: "0.5", memory: "128Mi" }),
        withResources("b", { cpu: "1", memory: "1Gi" }, { cpu: "1000m", memory: "1024Mi" }),
      ],
    });
    expect(computeQosClass(pod)).to.equal("Guaranteed");
  });

  it("is Guaranteed when only limits are set (requests default to limits)", () => {
    const pod = makePod({
      containers: [withResources("a", undefined, { cpu: "1", memory: "1Gi" })],
    });
    expect(computeQosClass(pod)).to.equal("Guaranteed");
  });

  it("is Burstable when a request is below its limit", () => {
    const pod = makePod({
      containers: [withResources("a", { cpu: "250m", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })],
    });
    expect(computeQosClass(pod)).to.equal("Burstable");
  });

  it("is Burstable when one container has limits and another has none", () => {
    const pod = makePod({
      containers: [withResources("a", undefined, { cpu: "1", memory: "1Gi" }), withResources("b")],
    });
    expect(computeQosClass(pod)).to.equal("Burstable");
  });

  it("is Burstable when a container limits only memory", () => {
    const pod = makePod({ containers: [withResources("a", undefined, { memory: "1Gi" })] });
    expect(computeQosClass(pod)).to.equal("Burstable");
  });

  it("counts init containers: an init container without limits makes a Guaranteed pod Burstable", () => {
    const pod = makePod({
      containers: [withResources("a", undefined, { cpu: "1", memory: "1Gi" })],
      initContainers: [withResources("init", { memory: "64Mi" })],
    });
    expect(computeQosClass(pod)).to.equal("Burstable");
  });

  it("counts init containers: requests only on an init container make the pod Burstable", () => {
    const pod = makePod({ initContainers: [withResources("init", { cpu: "100m" })] });
    expect(computeQosClass(pod)).to.equal("Burstable");
  });

  it("ignores zero amounts and resources other than cpu and memory", () => {
    const pod = makePod({
      containers: [
        withResources("a", { cpu: "0", "nvidia.com/gpu": "1" }, { "ephemeral-storage": "1Gi" }),
      ],
    });
    expect(computeQosClass(pod)).to.equal("BestEffort");
  });

  it("takes the class recorded in status when there is one", () => {
    const pod = { ...makePod(), status: { qosClass: "Burstable" as const } };
    expect(podQosClass(pod)).to.equal("Burstable");
  });
});

describe("agent/kubelet/spec oom_score_adj", () => {
  const burstable = (memory?: string) =>
    makePod({
      containers: [withResources("app", memory ? { memory, cpu: "100m" } : { cpu: "100m" })],
    });

  it("is -997 for Guaranteed and 1000 for BestEffort containers", () => {
    const guaranteed = makePod({
      containers: [withResources("app", undefined, { cpu: "1", memory: "1Gi" })],
    });
    expect(containerOomScoreAdj(guaranteed, guaranteed.spec!.containers[0], 8n * gi)).to.equal(
      -997,
    );
    const bestEffort = makePod();
    expect(containerOomScoreAdj(bestEffort, bestEffort.spec!.containers[0], 8n * gi)).to.equal(
      1000,
    );
  });

  it("is 1000 - 1000 × memory request / capacity for Burstable (10% of memory → 900)", () => {
    const pod = burstable("1Gi");
    expect(containerOomScoreAdj(pod, pod.spec!.containers[0], 10n * gi)).to.equal(900);
  });

  it("keeps Burstable below BestEffort: no memory request scores 999", () => {
    const pod = burstable();
    expect(containerOomScoreAdj(pod, pod.spec!.containers[0], 8n * gi)).to.equal(999);
  });

  it("keeps Burstable above Guaranteed: requesting all the memory scores 3", () => {
    const pod = burstable("8Gi");
    expect(containerOomScoreAdj(pod, pod.spec!.containers[0], 8n * gi)).to.equal(3);
  });

  it("scores node-critical pods as Guaranteed", () => {
    const pod = { ...burstable("1Gi") };
    pod.spec = { ...pod.spec!, priorityClassName: "system-node-critical", priority: 2_000_001_000 };
    expect(containerOomScoreAdj(pod, pod.spec.containers[0], 10n * gi)).to.equal(-997);
  });

  it("scores a sidecar no higher than the app container with the smallest memory request", () => {
    const pod = makePod({
      containers: [withResources("app", { memory: "4Gi" })],
      initContainers: [
        withResources("proxy", { memory: "1Gi" }, undefined, { restartPolicy: "Always" }),
      ],
    });
    expect(containerOomScoreAdj(pod, pod.spec!.initContainers![0], 10n * gi)).to.equal(600);
  });
});
