import { expect } from "chai";
import type { Pod } from "../../../../../agent/kube/types.js";
import { testPod } from "./runtime-fixtures.js";
import { WorkerHarness } from "./worker-harness.js";

const deleting = (pod: Pod, grace: number): Pod => ({
  ...pod,
  metadata: {
    ...pod.metadata,
    deletionTimestamp: "2025-06-01T10:00:00Z",
    deletionGracePeriodSeconds: grace,
  },
});

describe("agent/kubelet/sync pod workers (terminating pods)", () => {
  let h: WorkerHarness;
  beforeEach(() => (h = new WorkerHarness()));
  afterEach(() => h.stop());

  it("terminates a deleted pod: preStop, stop with its grace period, final status, removal, confirmation", async () => {
    const pod = testPod({
      terminationGracePeriodSeconds: 30,
      containers: [
        { name: "app", image: "busybox:1", lifecycle: { preStop: { exec: { command: ["x"] } } } },
      ],
    });
    await h.update(pod);
    const c = h.runtime.running("app")!;
    await h.update(deleting(pod, 7));
    expect(h.hooks.calls).to.deep.equal(["preStop app"]);
    expect(c.stopTimeout).to.equal(7);
    expect(h.api.events.find((e) => e.reason === "Killing")?.message).to.equal(
      "Stopping container app",
    );
    const final = h.status(pod)!;
    expect(final.phase).to.equal("Failed");
    expect(final.containerStatuses![0].state?.terminated?.exitCode).to.equal(143);
    expect(h.runtime.sandboxes.size).to.equal(0);
    expect(h.runtime.containers.size).to.equal(0);
    expect(h.volumes.tornDown).to.deep.equal(["uid-1"]);
    expect(h.api.deleted).to.deep.equal(["default/web/uid-1"]);

    // The watch may still show the pod until the deletion lands: nothing is started again.
    await h.update(deleting(pod, 7));
    expect(h.runtime.sandboxes.size).to.equal(0);
    expect(h.api.deleted).to.have.length(1);
  });

  it("gives a container at least 2 s to stop, even for a grace period of 0", async () => {
    const pod = testPod();
    await h.update(pod);
    const c = h.runtime.running("app")!;
    await h.update(deleting(pod, 0));
    expect(c.stopTimeout).to.equal(2);
  });

  it("stops a pod that ran to completion but keeps its containers for their logs", async () => {
    const pod = testPod({ restartPolicy: "Never" });
    await h.update(pod);
    h.runtime.exit(h.runtime.running("app")!.id, 0);
    await h.wake(pod);
    expect(h.status(pod)!.phase).to.equal("Succeeded");
    expect([...h.runtime.sandboxes.values()].map((s) => s.state)).to.deep.equal([
      "SANDBOX_NOTREADY",
    ]);
    expect(h.runtime.byName("app")).to.have.length(1);
    expect(h.volumes.tornDown).to.deep.equal(["uid-1"]);
    expect(h.api.deleted).to.deep.equal([]);

    await h.wake(pod);
    expect(h.runtime.calls.filter((c) => c.startsWith("runPodSandbox"))).to.have.length(1);
  });

  it("cleans up a pod the API removed without waiting (grace 0 delete)", async () => {
    const pod = testPod();
    await h.update(pod);
    h.sync.workers.remove(pod);
    await h.sync.workers.idle();
    expect(h.runtime.sandboxes.size).to.equal(0);
    expect(h.runtime.containers.size).to.equal(0);
    expect(h.volumes.tornDown).to.deep.equal(["uid-1"]);
    expect(h.api.deleted).to.deep.equal([]);
    expect(h.sync.workers.has("uid-1")).to.equal(false);
  });

  it("removes runtime pods the API does not have, once its list is known", async () => {
    const ghost = testPod({}, { uid: "ghost", name: "old" });
    await h.update(ghost);
    await h.sync.workers.stop();
    const restarted = new WorkerHarness();
    try {
      // A new agent over the same runtime, whose API list no longer has the pod.
      Object.assign(restarted.runtime, {
        sandboxes: h.runtime.sandboxes,
        containers: h.runtime.containers,
      });
      await restarted.sync.pleg.relist();
      await restarted.sync.workers.idle();
      expect(restarted.runtime.sandboxes.size).to.equal(1);
      restarted.sync.workers.syncKnownPods([]);
      await restarted.sync.pleg.relist();
      await restarted.sync.workers.idle();
      expect(restarted.runtime.sandboxes.size).to.equal(0);
      expect(restarted.runtime.containers.size).to.equal(0);
    } finally {
      await restarted.stop();
    }
  });

  it("adopts the running pods the API still has, without restarting them", async () => {
    const pod = testPod();
    await h.update(pod);
    const c = h.runtime.running("app")!;
    await h.sync.workers.stop();
    const restarted = new WorkerHarness();
    try {
      Object.assign(restarted.runtime, {
        sandboxes: h.runtime.sandboxes,
        containers: h.runtime.containers,
      });
      restarted.sync.workers.syncKnownPods([pod]);
      await restarted.settle(pod);
      expect(restarted.runtime.running("app")!.id).to.equal(c.id);
      expect(restarted.runtime.calls.filter((x) => /^(create|stop|run)/.test(x))).to.deep.equal([]);
      expect(restarted.status(pod)!.phase).to.equal("Running");
    } finally {
      await restarted.stop();
    }
  });
});
