import { expect } from "chai";
import { podStatusPatch } from "../../../../../agent/kubelet/adapters/pod-status-patch.js";
import type { Pod, PodStatus } from "../../../../../agent/kube/types.js";
import { applyStrategicMergePatch } from "../../../../../controller/patch/index.js";
import type { KubeObject } from "../../../../../controller/resources/kube-object.js";

const uid = "uid-1";
const t0 = "2024-05-01T10:00:00Z";
const t1 = "2024-05-01T10:00:07Z";

/** A running pod as the API holds it, with a condition another component set. */
function runningPod(): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", uid },
    status: {
      phase: "Running",
      reason: "SomethingOld",
      podIP: "10.244.1.5",
      podIPs: [{ ip: "10.244.1.5" }],
      conditions: [
        { type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" },
        { type: "Ready", status: "True", lastTransitionTime: t0 },
      ],
      initContainerStatuses: [
        {
          name: "init",
          ready: true,
          restartCount: 0,
          image: "busybox",
          imageID: "sha256:1",
          state: { terminated: { exitCode: 0, reason: "Completed" } },
        },
      ],
      containerStatuses: [
        {
          name: "app",
          ready: true,
          restartCount: 0,
          image: "busybox",
          imageID: "sha256:1",
          containerID: "berth://aaa",
          state: { running: { startedAt: t0 } },
        },
      ],
    },
  } as Pod;
}

/** What the kubelet computes after the container crashed. */
const crashed: PodStatus = {
  phase: "Running",
  podIP: "10.244.1.5",
  podIPs: [{ ip: "10.244.1.5" }],
  hostIP: "192.168.1.2",
  hostIPs: [{ ip: "192.168.1.2" }],
  qosClass: "BestEffort",
  startTime: t0,
  conditions: [
    { type: "Ready", status: "False", reason: "ContainersNotReady", lastTransitionTime: t1 },
    { type: "ContainersReady", status: "False", lastTransitionTime: t1 },
  ],
  containerStatuses: [
    {
      name: "app",
      ready: false,
      restartCount: 1,
      image: "busybox",
      imageID: "sha256:1",
      containerID: "berth://aaa",
      state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" } },
      lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: t1 } },
    },
  ],
};

const apply = (pod: Pod, patch: unknown) =>
  applyStrategicMergePatch(pod as KubeObject, patch, { group: "", version: "v1", kind: "Pod" })
    .status as PodStatus;

describe("kubelet adapters: the pod status patch", () => {
  it("carries the pod's uid, as kubelet's status patches do", () => {
    expect(podStatusPatch(uid, crashed).metadata).to.deep.equal({ uid });
  });

  it("replaces a container's state instead of merging the old one into it", () => {
    const status = apply(runningPod(), podStatusPatch(uid, crashed));
    expect(status.containerStatuses).to.deep.equal(crashed.containerStatuses);
    expect(status.containerStatuses![0].state).to.not.have.property("running");
  });

  it("clears what the kubelet no longer reports: a stale reason, gone init statuses", () => {
    const status = apply(runningPod(), podStatusPatch(uid, crashed));
    expect(status).to.not.have.property("reason");
    expect(status).to.not.have.property("initContainerStatuses");
    expect(status).to.include({ phase: "Running", hostIP: "192.168.1.2", qosClass: "BestEffort" });
  });

  it("merges its own conditions by type and leaves other components' conditions alone", () => {
    const withForeign: PodStatus = {
      ...crashed,
      conditions: [
        ...crashed.conditions!,
        { type: "DisruptionTarget", status: "False", reason: "StaleCopy" },
      ],
    };
    const status = apply(runningPod(), podStatusPatch(uid, withForeign));
    const byType = Object.fromEntries(status.conditions!.map((c) => [c.type, c]));
    expect(byType.DisruptionTarget).to.include({ status: "True", reason: "EvictionByEvictionAPI" });
    expect(byType.Ready).to.include({ status: "False", lastTransitionTime: t1 });
    expect(byType.ContainersReady).to.include({ status: "False" });
  });

  it("replaces the pod IPs whole", () => {
    const moved = { ...crashed, podIP: "10.244.1.9", podIPs: [{ ip: "10.244.1.9" }] };
    const status = apply(runningPod(), podStatusPatch(uid, moved));
    expect(status.podIPs).to.deep.equal([{ ip: "10.244.1.9" }]);
    expect(status.podIP).to.equal("10.244.1.9");
  });
});
