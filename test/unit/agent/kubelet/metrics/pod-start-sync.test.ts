import { expect } from "chai";
import { Registry } from "prom-client";
import { silentLogger } from "../../../../../lib/logger.js";
import type { Pod } from "../../../../../agent/kube/types.js";
import { PodStartTracker } from "../../../../../agent/kubelet/metrics/pod-start-tracker.js";
import {
  createKubeletSync,
  type KubeletSync,
} from "../../../../../agent/kubelet/sync/kubelet-sync.js";
import { FakeApi, FakeHooks, FakeProbes, FakeVolumes } from "../sync/fake-ports.js";
import { FakeRuntime } from "../sync/fake-runtime.js";
import { simpleSpec } from "../sync/simple-spec.js";
import { sample } from "./exposition.js";

/** A runtime whose image pulls take 3 s of the test's clock. */
class SlowPullRuntime extends FakeRuntime {
  override async pullImage(req: { image?: { image?: string } | null }) {
    this.clock.now += 3_000;
    return super.pullImage(req);
  }
}

describe("agent/kubelet/metrics pod start latency from the pod workers", () => {
  const created = Date.parse("2024-05-01T10:00:00Z");
  const clock = { now: created + 2_000 };
  let registry: Registry;
  let api: FakeApi;
  let sync: KubeletSync;

  beforeEach(() => {
    clock.now = created + 2_000;
    registry = new Registry();
    api = new FakeApi();
    sync = createKubeletSync({
      runtime: new SlowPullRuntime(clock),
      spec: simpleSpec(),
      volumes: new FakeVolumes(),
      api,
      hooks: new FakeHooks(),
      probes: new FakeProbes(),
      hostIPs: () => ["192.168.1.5"],
      logger: silentLogger(),
      resyncMs: 3_600_000,
      now: () => clock.now,
      podStarts: new PodStartTracker(registry, { now: () => clock.now }),
    });
  });
  afterEach(() => sync.stop());

  it("observes the start once the pod runs and the SLI once the watch shows it, without the pull", async () => {
    const pod: Pod = {
      metadata: {
        uid: "uid-1",
        name: "web",
        namespace: "default",
        creationTimestamp: "2024-05-01T10:00:00Z",
      },
      spec: { containers: [{ name: "app", image: "registry.test/app:1" }] },
    };
    sync.workers.update(pod);
    await sync.workers.idle();
    await sync.status.flush("uid-1");
    const written = api.lastStatus("uid-1")!;
    expect(written.phase).to.equal("Running");
    // First seen at +2 s, running after the 3 s pull.
    expect(await sample(registry, "kubelet_pod_start_duration_seconds_count")).to.equal(1);
    expect(await sample(registry, "kubelet_pod_start_duration_seconds_sum")).to.equal(3);
    expect(await sample(registry, "kubelet_pod_start_sli_duration_seconds_count")).to.equal(0);

    clock.now += 1_000;
    sync.workers.update({ ...pod, status: written }); // the watch brings the written status back
    expect(await sample(registry, "kubelet_pod_start_total_duration_seconds_sum")).to.equal(6);
    expect(await sample(registry, "kubelet_pod_start_sli_duration_seconds_sum")).to.equal(3);
  });
});
