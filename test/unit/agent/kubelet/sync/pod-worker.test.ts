import { expect } from "chai";
import type { Pod } from "../../../../../agent/kube/types.js";
import { testPod } from "./runtime-fixtures.js";
import { WorkerHarness } from "./worker-harness.js";

describe("agent/kubelet/sync pod workers (running pods)", () => {
  let h: WorkerHarness;
  beforeEach(() => (h = new WorkerHarness()));
  afterEach(() => h.stop());

  it("runs a new pod: volumes, sandbox, container, and reports it Running", async () => {
    const pod = testPod();
    await h.update(pod);
    const c = h.runtime.running("app")!;
    expect(c).to.not.equal(undefined);
    expect(h.volumes.setUps).to.include("uid-1");
    const s = h.status(pod)!;
    expect(s.phase).to.equal("Running");
    expect(s.podIP).to.match(/^10\.0\.0\./);
    expect(s.containerStatuses![0]).to.deep.include({
      containerID: `berth://${c.id}`,
      ready: true,
    });
    expect(h.api.reasons()).to.deep.equal(["Pulled", "Created", "Started"]);
    expect(h.api.events[0].message).to.equal(
      'Container image "busybox:1" already present on machine',
    );
    expect(h.api.events[1].ref.fieldPath).to.equal("spec.containers{app}");
  });

  it("restarts a crashed container at once, then holds it in CrashLoopBackOff", async () => {
    const pod = testPod();
    await h.update(pod);
    h.runtime.exit(h.runtime.running("app")!.id, 1);
    await h.wake(pod);
    const second = h.runtime.running("app")!;
    expect(second.config.metadata?.attempt).to.equal(1);
    expect(h.status(pod)!.containerStatuses![0]).to.deep.include({ restartCount: 1 });
    expect(h.status(pod)!.containerStatuses![0].lastState?.terminated?.exitCode).to.equal(1);

    h.advance(1000);
    h.runtime.exit(second.id, 1);
    await h.wake(pod);
    expect(h.runtime.running("app")).to.equal(undefined);
    expect(h.status(pod)!.containerStatuses![0].state).to.deep.equal({
      waiting: {
        reason: "CrashLoopBackOff",
        message: "back-off 10s restarting failed container=app pod=web_default(uid-1)",
      },
    });
    expect(h.api.events.at(-1)).to.deep.include({
      reason: "BackOff",
      message: "Back-off restarting failed container app in pod web_default(uid-1)",
    });

    h.advance(10_000);
    await h.wake(pod);
    expect(h.runtime.running("app")!.config.metadata?.attempt).to.equal(2);
    expect(h.status(pod)!.containerStatuses![0].restartCount).to.equal(2);
  });

  it("shows ErrImagePull, then ImagePullBackOff until the back-off ends", async () => {
    const pod = testPod({ containers: [{ name: "app", image: "missing:latest" }] });
    h.runtime.pullErrors.set("missing:latest", "manifest unknown");
    await h.update(pod);
    expect(h.status(pod)!.containerStatuses![0].state).to.deep.equal({
      waiting: { reason: "ErrImagePull", message: "manifest unknown" },
    });
    expect(h.api.reasons()).to.deep.equal(["Pulling", "Failed", "Failed"]);

    await h.wake(pod);
    expect(h.status(pod)!.containerStatuses![0].state?.waiting?.reason).to.equal(
      "ImagePullBackOff",
    );
    expect(h.api.reasons().at(-1)).to.equal("BackOff");

    h.runtime.pullErrors.delete("missing:latest");
    h.advance(10_000);
    await h.wake(pod);
    expect(h.runtime.running("app")).to.not.equal(undefined);
    expect(h.status(pod)!.phase).to.equal("Running");
  });

  it("shows CreateContainerConfigError when the config cannot be made", async () => {
    const env = [{ name: "X", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } }];
    const pod = testPod({ containers: [{ name: "app", image: "busybox:1", env }] });
    await h.update(pod);
    expect(h.status(pod)!.containerStatuses![0].state).to.deep.equal({
      waiting: { reason: "CreateContainerConfigError", message: 'configmap "cfg" not found' },
    });
    expect(h.api.events.at(-1)).to.deep.include({
      reason: "Failed",
      message: 'Error: configmap "cfg" not found',
    });
  });

  it("runs init containers one after the other before the app", async () => {
    const pod = testPod({ initContainers: [{ name: "init1", image: "busybox:1" }] });
    await h.update(pod);
    expect(h.runtime.running("init1")).to.not.equal(undefined);
    expect(h.runtime.byName("app")).to.have.length(0);
    expect(h.status(pod)!.phase).to.equal("Pending");

    h.runtime.exit(h.runtime.running("init1")!.id, 0);
    await h.wake(pod);
    expect(h.runtime.running("app")).to.not.equal(undefined);
    const s = h.status(pod)!;
    expect(s.phase).to.equal("Running");
    expect(s.initContainerStatuses![0].state?.terminated?.reason).to.equal("Completed");
  });

  it("replaces a sandbox that died, as attempt 1", async () => {
    const pod = testPod();
    await h.update(pod);
    const [old] = h.runtime.sandboxes.keys();
    await h.runtime.stopPodSandbox({ pod_sandbox_id: old });
    await h.wake(pod);
    const ready = [...h.runtime.sandboxes.values()].filter((s) => s.state === "SANDBOX_READY");
    expect(ready).to.have.length(1);
    expect(ready[0].config.metadata?.attempt).to.equal(1);
    expect(h.runtime.running("app")!.sandboxId).to.equal(ready[0].id);
    expect(h.api.reasons()).to.include("SandboxChanged");
  });

  it("kills a container whose liveness probe failed and starts it again", async () => {
    const pod = testPod();
    await h.update(pod);
    const first = h.runtime.running("app")!;
    h.probes.results.set(first.id, { liveness: "failure" });
    await h.wake(pod);
    expect(first.state).to.equal("CONTAINER_EXITED");
    expect(h.runtime.running("app")!.id).to.not.equal(first.id);
    expect(h.api.events.find((e) => e.reason === "Killing")?.message).to.equal(
      "Container app failed liveness probe, will be restarted",
    );
  });

  it("coalesces updates that arrive during a sync: only the newest spec is run", async () => {
    const v = (image: string): Pod => testPod({ containers: [{ name: "app", image }] });
    for (const i of ["a:1", "b:1", "c:1"]) h.present(i);
    h.sync.workers.update(v("a:1"));
    h.sync.workers.update(v("b:1"));
    h.sync.workers.update(v("c:1"));
    await h.settle(v("c:1"));
    const images = h.runtime
      .byName("app")
      .map((c) => c.config.image?.image)
      .reverse();
    expect(images).to.deep.equal(["sha256:a:1", "sha256:c:1"]);
    expect(h.runtime.running("app")!.config.image?.image).to.equal("sha256:c:1");
  });
  it("does not pull under imagePullPolicy Never: ErrImageNeverPull", async () => {
    const pod = testPod({
      containers: [{ name: "app", image: "absent:1", imagePullPolicy: "Never" }],
    });
    await h.update(pod);
    expect(h.runtime.calls.some((c) => c.startsWith("pullImage"))).to.equal(false);
    expect(h.status(pod)!.containerStatuses![0].state?.waiting).to.deep.equal({
      reason: "ErrImageNeverPull",
      message: 'Container image "absent:1" is not present with pull policy of Never',
    });
  });

  it("runs postStart after the start, and kills the container when the hook fails", async () => {
    const lifecycle = { postStart: { exec: { command: ["setup"] } } };
    const pod = testPod({ containers: [{ name: "app", image: "busybox:1", lifecycle }] });
    h.hooks.failPostStart = "command 'setup' exited with 1";
    await h.update(pod);
    expect(h.hooks.calls).to.deep.equal(["postStart app"]);
    expect(h.runtime.running("app")).to.equal(undefined);
    expect(h.api.reasons()).to.include.members(["Started", "FailedPostStartHook", "Killing"]);
    expect(h.status(pod)!.containerStatuses![0].state?.waiting).to.deep.equal({
      reason: "PostStartHookError",
      message: "command 'setup' exited with 1",
    });
  });
});
