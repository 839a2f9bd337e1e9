import { expect } from "chai";
import type { Pod, PodStatus } from "../../../../../agent/kube/types.js";
import type { ContainerReason } from "../../../../../agent/kubelet/sync/container-statuses.js";
import {
  generatePodStatus,
  type PodStatusInput,
} from "../../../../../agent/kubelet/sync/pod-status.js";
import type { RuntimePod } from "../../../../../agent/kubelet/sync/runtime-pod.js";
import { FakeProbes } from "./fake-ports.js";
import { runtimeWith, testPod } from "./runtime-fixtures.js";

const now = new Date("2025-06-01T10:00:00Z");
const t = (s: string) => Date.parse(`2025-06-01T${s}Z`);

function status(pod: Pod, runtime: RuntimePod, extra: Partial<PodStatusInput> = {}): PodStatus {
  return generatePodStatus({
    pod,
    runtime,
    reasons: new Map(),
    probes: new FakeProbes(),
    hostIPs: ["192.168.1.5"],
    qosClass: "BestEffort",
    podIsTerminal: false,
    now,
    ...extra,
  });
}

const condition = (s: PodStatus, type: string) => s.conditions?.find((c) => c.type === type);
const empty: RuntimePod = {
  uid: "uid-1",
  name: "web",
  namespace: "default",
  sandboxes: [],
  containers: [],
  ips: [],
};

describe("agent/kubelet/sync generatePodStatus", () => {
  it("shows a pod not started yet as Pending with its containers ContainerCreating", () => {
    const s = status(testPod(), empty);
    expect(s.phase).to.equal("Pending");
    expect(s.containerStatuses![0]).to.deep.include({
      name: "app",
      state: { waiting: { reason: "ContainerCreating" } },
      ready: false,
      restartCount: 0,
      image: "busybox:1",
      started: false,
    });
    expect(s.conditions!.map((c) => `${c.type}=${c.status}`)).to.deep.equal([
      "PodReadyToStartContainers=False",
      "Initialized=True",
      "Ready=False",
      "ContainersReady=False",
      "PodScheduled=True",
    ]);
    expect(condition(s, "Ready")).to.deep.include({
      reason: "ContainersNotReady",
      message: "containers with unready status: [app]",
      lastTransitionTime: "2025-06-01T10:00:00Z",
    });
    expect(s.startTime).to.equal("2025-06-01T10:00:00Z");
    expect(s.hostIP).to.equal("192.168.1.5");
    expect(s.hostIPs).to.deep.equal([{ ip: "192.168.1.5" }]);
    expect(s.qosClass).to.equal("BestEffort");
    expect(s.podIP).to.equal(undefined);
  });

  it("shows a running container as ready and started, with its id, image and the pod's IP", () => {
    const s = status(
      testPod(),
      runtimeWith([{ id: "abc", startedAt: t("09:59:00"), restartCount: 0 }]),
    );
    expect(s.phase).to.equal("Running");
    expect(s.podIP).to.equal("10.0.0.2");
    expect(s.podIPs).to.deep.equal([{ ip: "10.0.0.2" }]);
    expect(s.containerStatuses![0]).to.deep.include({
      state: { running: { startedAt: "2025-06-01T09:59:00Z" } },
      ready: true,
      started: true,
      containerID: "berth://abc",
      imageID: "sha256:b",
    });
    expect(condition(s, "Ready")?.status).to.equal("True");
    expect(condition(s, "ContainersReady")?.status).to.equal("True");
    expect(condition(s, "PodReadyToStartContainers")?.status).to.equal("True");
  });

  it("keeps a container with a readiness probe unready until the probe succeeds", () => {
    const pod = testPod({
      containers: [{ name: "app", image: "b", readinessProbe: { tcpSocket: { port: 80 } } }],
    });
    const probes = new FakeProbes();
    const runtime = runtimeWith([{ id: "c0" }]);
    expect(status(pod, runtime, { probes }).containerStatuses![0].ready).to.equal(false);
    probes.results.set("c0", { readiness: "success" });
    expect(status(pod, runtime, { probes }).containerStatuses![0].ready).to.equal(true);
  });

  it("reports a restart: the new instance's count and the old one's exit as lastState", () => {
    const runtime = runtimeWith([
      { id: "new", restartCount: 1, startedAt: t("09:59:30") },
      {
        id: "old",
        state: "exited",
        exitCode: 137,
        startedAt: t("09:58:00"),
        finishedAt: t("09:59:29"),
      },
    ]);
    const c = status(testPod(), runtime).containerStatuses![0];
    expect(c.restartCount).to.equal(1);
    expect(c.lastState).to.deep.equal({
      terminated: {
        exitCode: 137,
        reason: "Error",
        startedAt: "2025-06-01T09:58:00Z",
        finishedAt: "2025-06-01T09:59:29Z",
        containerID: "berth://old",
      },
    });
  });

  it("shows a container held in back-off as CrashLoopBackOff with its last exit", () => {
    const reasons = new Map<string, ContainerReason>([
      [
        "app",
        {
          reason: "CrashLoopBackOff",
          message: "back-off 10s restarting failed container=app pod=web_default(uid-1)",
        },
      ],
    ]);
    const runtime = runtimeWith([
      { state: "exited", exitCode: 1, reason: "Error", finishedAt: t("09:59:00") },
    ]);
    const s = status(testPod(), runtime, { reasons });
    expect(s.containerStatuses![0].state).to.deep.equal({
      waiting: { reason: "CrashLoopBackOff", message: reasons.get("app")!.message },
    });
    expect(s.containerStatuses![0].lastState?.terminated?.exitCode).to.equal(1);
    expect(s.phase).to.equal("Running");
  });

  it("shows why a container never started: ErrImagePull, CreateContainerConfigError", () => {
    for (const reason of ["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"]) {
      const reasons = new Map([["app", { reason, message: "why" }]]);
      const s = status(testPod(), runtimeWith([]), { reasons });
      expect(s.containerStatuses![0].state).to.deep.equal({ waiting: { reason, message: "why" } });
      expect(s.phase).to.equal("Pending");
    }
  });

  it("carries the runtime's reason and termination message (OOMKilled)", () => {
    const runtime = runtimeWith([
      { state: "exited", exitCode: 137, reason: "OOMKilled", message: "out of memory" },
    ]);
    const s = status(testPod({ restartPolicy: "Never" }), runtime);
    expect(s.containerStatuses![0].state?.terminated).to.deep.include({
      exitCode: 137,
      reason: "OOMKilled",
      message: "out of memory",
    });
    expect(s.phase).to.equal("Failed");
  });

  const phases: [string, Pod, RuntimePod, boolean, string][] = [
    [
      "Never, exit 0 → Succeeded",
      testPod({ restartPolicy: "Never" }),
      runtimeWith([{ state: "exited" }]),
      false,
      "Succeeded",
    ],
    [
      "Never, exit 1 → Failed",
      testPod({ restartPolicy: "Never" }),
      runtimeWith([{ state: "exited", exitCode: 1 }]),
      false,
      "Failed",
    ],
    [
      "OnFailure, exit 1 → Running (restarting)",
      testPod({ restartPolicy: "OnFailure" }),
      runtimeWith([{ state: "exited", exitCode: 1 }]),
      false,
      "Running",
    ],
    [
      "OnFailure, exit 0 → Succeeded",
      testPod({ restartPolicy: "OnFailure" }),
      runtimeWith([{ state: "exited" }]),
      false,
      "Succeeded",
    ],
    [
      "Always, exited → Running",
      testPod(),
      runtimeWith([{ state: "exited", exitCode: 1 }]),
      false,
      "Running",
    ],
    [
      "terminating, killed → Failed",
      testPod(),
      runtimeWith([{ state: "exited", exitCode: 143 }]),
      true,
      "Failed",
    ],
    [
      "terminating, all exit 0 → Succeeded",
      testPod(),
      runtimeWith([{ state: "exited" }]),
      true,
      "Succeeded",
    ],
    [
      "an init container running → Pending",
      testPod({ initContainers: [{ name: "init1", image: "i" }] }),
      runtimeWith([{ name: "init1" }]),
      false,
      "Pending",
    ],
    [
      "an init container failed under Never → Failed",
      testPod({ restartPolicy: "Never", initContainers: [{ name: "init1", image: "i" }] }),
      runtimeWith([{ name: "init1", state: "exited", exitCode: 1 }]),
      false,
      "Failed",
    ],
  ];
  for (const [name, pod, runtime, podIsTerminal, phase] of phases) {
    it(`phase: ${name}`, () => {
      expect(status(pod, runtime, { podIsTerminal }).phase).to.equal(phase);
    });
  }

  it("marks Ready and ContainersReady PodCompleted once the pod succeeded", () => {
    const s = status(testPod({ restartPolicy: "Never" }), runtimeWith([{ state: "exited" }]));
    expect(condition(s, "Ready")).to.deep.include({ status: "False", reason: "PodCompleted" });
    expect(condition(s, "ContainersReady")).to.deep.include({
      status: "False",
      reason: "PodCompleted",
    });
    expect(condition(s, "Initialized")).to.deep.include({ status: "True", reason: "PodCompleted" });
  });

  it("shows app containers PodInitializing and Initialized False while init containers run", () => {
    const pod = testPod({ initContainers: [{ name: "init1", image: "i" }] });
    const s = status(pod, runtimeWith([{ name: "init1" }]));
    expect(s.containerStatuses![0].state).to.deep.equal({ waiting: { reason: "PodInitializing" } });
    expect(s.initContainerStatuses![0].state?.running).to.not.equal(undefined);
    expect(condition(s, "Initialized")).to.deep.include({
      status: "False",
      reason: "ContainersNotInitialized",
      message: "containers with incomplete status: [init1]",
    });
    const done = status(pod, runtimeWith([{ name: "init1", state: "exited" }]));
    expect(done.initContainerStatuses![0]).to.deep.include({ ready: true });
    expect(condition(done, "Initialized")?.status).to.equal("True");
  });

  it("keeps transition times and the start time while nothing changes", () => {
    const first = status(testPod(), runtimeWith([{}]), { now: new Date("2025-06-01T09:00:00Z") });
    const again = status(testPod(), runtimeWith([{}]), { previous: first });
    expect(condition(again, "Ready")?.lastTransitionTime).to.equal("2025-06-01T09:00:00Z");
    expect(again.startTime).to.equal("2025-06-01T09:00:00Z");
    const changed = status(testPod(), runtimeWith([{ state: "exited", exitCode: 1 }]), {
      previous: first,
    });
    expect(condition(changed, "Ready")?.lastTransitionTime).to.equal("2025-06-01T10:00:00Z");
    expect(condition(changed, "PodScheduled")?.lastTransitionTime).to.equal("2025-06-01T09:00:00Z");
  });

  it("copies PodScheduled and conditions it does not own from the API", () => {
    const pod = testPod();
    pod.status = {
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: "2025-01-01T00:00:00Z" },
        { type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" },
      ],
    };
    const s = status(pod, runtimeWith([{}]));
    expect(condition(s, "PodScheduled")?.lastTransitionTime).to.equal("2025-01-01T00:00:00Z");
    expect(condition(s, "DisruptionTarget")?.reason).to.equal("EvictionByEvictionAPI");
  });

  it("keeps the pod's IP once its sandbox is stopped", () => {
    const running = status(testPod(), runtimeWith([{}]));
    const stopped = status(testPod(), runtimeWith([{ state: "exited" }], { ready: false }), {
      previous: running,
    });
    expect(stopped.podIP).to.equal("10.0.0.2");
  });

  it("never moves a pod out of a terminal phase", () => {
    const pod = testPod();
    pod.status = { phase: "Succeeded" };
    expect(status(pod, runtimeWith([{}])).phase).to.equal("Succeeded");
  });

  it("shows a running container that vanished as terminated with ContainerStatusUnknown", () => {
    const before = status(testPod(), runtimeWith([{}]));
    const after = status(testPod(), runtimeWith([]), { previous: before });
    expect(after.containerStatuses![0].lastState?.terminated).to.deep.include({
      exitCode: 137,
      reason: "ContainerStatusUnknown",
    });
    expect(after.containerStatuses![0].restartCount).to.equal(1);
  });
});
