import { expect } from "chai";
import { silentLogger } from "../../../../../lib/logger.js";
import { Pleg, type PlegEvent, type RelistedPod } from "../../../../../agent/kubelet/sync/pleg.js";
import { FakeRuntime } from "./fake-runtime.js";
import { simpleSpec } from "./simple-spec.js";
import { testPod } from "./runtime-fixtures.js";

describe("agent/kubelet/sync Pleg", () => {
  it("reports containers that started, died and were removed, by pod", async () => {
    const runtime = new FakeRuntime();
    runtime.images.set("sha256:b", { id: "sha256:b", user: "" });
    const spec = simpleSpec();
    const events: PlegEvent[] = [];
    let relisted: RelistedPod[] = [];
    const pleg = new Pleg({
      runtime,
      spec,
      logger: silentLogger(),
      onEvent: (e) => events.push(e),
      onRelist: (pods) => (relisted = pods),
    });
    const pod = testPod();
    const { config } = await spec.sandboxConfig(pod, 0);
    const { pod_sandbox_id } = await runtime.runPodSandbox({ config });
    const made = await spec.containerConfig(pod, pod.spec!.containers[0], {
      restartCount: 0,
      imageRef: "sha256:b",
      imageUser: "",
      podIPs: [],
      volumes: new Map(),
    });
    const { container_id } = await runtime.createContainer({ pod_sandbox_id, config: made.config });
    await runtime.startContainer({ container_id });

    await pleg.relist();
    expect(events.map((e) => `${e.podUid} ${e.type}`)).to.deep.equal([
      "uid-1 SandboxChanged",
      "uid-1 ContainerStarted",
    ]);
    expect(relisted.map((p) => [p.uid, p.name, p.namespace, p.containers.length])).to.deep.equal([
      ["uid-1", "web", "default", 1],
    ]);
    expect(pleg.pod("uid-1")?.sandboxes[0].id).to.equal(pod_sandbox_id);

    events.length = 0;
    await pleg.relist();
    expect(events).to.deep.equal([]);

    runtime.exit(container_id, 1);
    await pleg.relist();
    expect(events).to.deep.equal([{ podUid: "uid-1", type: "ContainerDied", id: container_id }]);

    events.length = 0;
    await runtime.removePodSandbox({ pod_sandbox_id });
    await pleg.relist();
    expect(events.map((e) => e.type).sort()).to.deep.equal(["ContainerRemoved", "SandboxChanged"]);
    expect(pleg.runtimePods()).to.deep.equal([]);
  });

  it("relists periodically until stopped, surviving a failed relist", async () => {
    const runtime = new FakeRuntime();
    runtime.failures.set("listPodSandbox", new Error("runtime busy"));
    let relists = 0;
    const pleg = new Pleg({
      runtime,
      spec: simpleSpec(),
      logger: silentLogger(),
      periodMs: 5,
      onEvent: () => undefined,
      onRelist: () => relists++,
    });
    pleg.start();
    await new Promise((r) => setTimeout(r, 60));
    await pleg.stop();
    const after = relists;
    expect(after).to.be.greaterThan(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(relists).to.equal(after);
  });
});
