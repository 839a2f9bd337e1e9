import { expect } from "chai";
import { Registry } from "prom-client";
import type { Pod, PodStatus } from "../../../../../agent/kube/types.js";
import { PodStartTracker } from "../../../../../agent/kubelet/metrics/pod-start-tracker.js";
import { bucketBounds, sample } from "./exposition.js";

const t0 = Date.parse("2024-05-01T10:00:00Z");

function pod(status?: PodStatus, extra: Partial<NonNullable<Pod["spec"]>> = {}): Pod {
  return {
    metadata: {
      uid: "u1",
      name: "web",
      namespace: "default",
      creationTimestamp: "2024-05-01T10:00:00Z",
    },
    spec: { containers: [{ name: "app" }], ...extra },
    status,
  };
}
const running: PodStatus = {
  phase: "Running",
  startTime: "2024-05-01T10:00:01Z",
  containerStatuses: [
    {
      name: "app",
      ready: true,
      restartCount: 0,
      state: { running: { startedAt: "2024-05-01T10:00:05Z" } },
    },
  ] as PodStatus["containerStatuses"],
};
const pending: PodStatus = { phase: "Pending", startTime: "2024-05-01T10:00:01Z" };

function setUp() {
  const clock = { now: t0 };
  const registry = new Registry();
  const tracker = new PodStartTracker(registry, { now: () => clock.now });
  const count = (name: string) => sample(registry, `${name}_count`);
  const sum = (name: string) => sample(registry, `${name}_sum`);
  return { clock, registry, tracker, count, sum };
}

describe("agent/kubelet/metrics PodStartTracker", () => {
  it("measures first sight → Running, and creation → running on the watch minus the pulls", async () => {
    const { clock, registry, tracker, count, sum } = setUp();
    clock.now = t0 + 1_000;
    tracker.podObserved(pod()); // first seen 1 s after creation
    tracker.statusSet("u1", pending);
    clock.now = t0 + 2_000;
    tracker.pullStarted("u1");
    clock.now = t0 + 4_000;
    tracker.pullFinished("u1");
    tracker.pullStarted("u1"); // a second image: the span runs from the first start
    clock.now = t0 + 7_000;
    tracker.pullFinished("u1");
    tracker.podObserved(pod(running)); // not a status this kubelet set: no SLI
    expect(await count("kubelet_pod_start_sli_duration_seconds")).to.equal(0);
    clock.now = t0 + 8_000;
    tracker.statusSet("u1", running);
    tracker.statusSet("u1", running); // observed once
    expect(await count("kubelet_pod_start_duration_seconds")).to.equal(1);
    expect(await sum("kubelet_pod_start_duration_seconds")).to.equal(7);
    expect(await count("kubelet_pod_start_sli_duration_seconds")).to.equal(0);

    clock.now = t0 + 10_000;
    tracker.podObserved(pod(pending)); // an older version: not running yet
    expect(await count("kubelet_pod_start_sli_duration_seconds")).to.equal(0);
    tracker.podObserved(pod(running));
    tracker.podObserved(pod(running));
    expect(await count("kubelet_pod_start_total_duration_seconds")).to.equal(1);
    expect(await sum("kubelet_pod_start_total_duration_seconds")).to.equal(10);
    expect(await count("kubelet_pod_start_sli_duration_seconds")).to.equal(1);
    expect(await sum("kubelet_pod_start_sli_duration_seconds")).to.equal(5); // 10 − (7 − 2)
    expect(await sample(registry, "kubelet_first_network_pod_start_sli_duration_seconds")).to.equal(
      5,
    );
  });

  it("leaves out pods that had started before this kubelet saw them (adopted after a restart)", async () => {
    const { tracker, count } = setUp();
    tracker.podObserved(pod(running));
    tracker.statusSet("u1", running);
    tracker.podObserved(pod(running));
    expect(await count("kubelet_pod_start_duration_seconds")).to.equal(0);
    expect(await count("kubelet_pod_start_sli_duration_seconds")).to.equal(0);
  });

  it("drops pods that end or are forgotten before they run", async () => {
    const { tracker, count } = setUp();
    tracker.podObserved(pod());
    tracker.podObserved(pod({ phase: "Failed" }));
    tracker.statusSet("u1", running);
    expect(await count("kubelet_pod_start_duration_seconds")).to.equal(0);
    tracker.podObserved({
      ...pod(),
      metadata: { uid: "u2", creationTimestamp: "2024-05-01T10:00:00Z" },
    });
    tracker.forget("u2");
    tracker.statusSet("u2", running);
    expect(await count("kubelet_pod_start_duration_seconds")).to.equal(0);
  });

  it("sets the first network pod's gauge from the first pod not on the host network", async () => {
    const { clock, registry, tracker } = setUp();
    const hostPod = pod(undefined, { hostNetwork: true });
    tracker.podObserved(hostPod);
    clock.now = t0 + 3_000;
    tracker.statusSet("u1", running);
    tracker.podObserved(pod(running, { hostNetwork: true }));
    expect(await sample(registry, "kubelet_pod_start_sli_duration_seconds_count")).to.equal(1);
    expect(await sample(registry, "kubelet_first_network_pod_start_sli_duration_seconds")).to.equal(
      0,
    );
  });

  it("uses kubelet's pod startup buckets", async () => {
    const { registry } = setUp();
    expect(await bucketBounds(registry, "kubelet_pod_start_duration_seconds")).to.deep.equal(
      [
        0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200,
        1800, 2700, 3600,
      ]
        .map(String)
        .concat("+Inf"),
    );
  });
});
