import { createMetricsRegistry } from "../../../../../lib/metrics.js";
import type { PodStatus } from "../../../../../agent/kube/types.js";
import { GrpcServerMetrics } from "../../../../../agent/cri/metrics/grpc-server-metrics.js";
import { createKubeletMetrics } from "../../../../../agent/kubelet/metrics/kubelet-metrics.js";
import { NetworkPluginMetrics } from "../../../../../agent/network/network-plugin-metrics.js";
import { PullMetrics } from "../../../../../agent/registry/metrics.js";
import type { ContainerRecord, SandboxRecord } from "../../../../../agent/runtime/records.js";
import { expectPromtoolClean } from "./exposition.js";

describe("the agent's /metrics exposition", () => {
  it("passes `promtool check metrics` with every kubelet, CNI and CRI series filled in", async function () {
    // Node's process metrics are lib/metrics.ts's; this checks the series the agent adds.
    const registry = createMetricsRegistry({ processMetrics: false });
    const sandboxes = [{ id: "s1", state: "ready", config: { metadata: { uid: "u1" } } }];
    const containers = [{ id: "c1", state: "running" }];
    const kubelet = createKubeletMetrics(registry, {
      sandboxes: { list: () => sandboxes as unknown as SandboxRecord[] },
      containers: { list: () => containers as unknown as ContainerRecord[] },
    });
    await kubelet.operations.measure("list_podsandbox", async () => undefined);
    await kubelet.operations
      .measure("pull_image", async () => Promise.reject(new Error("no")))
      .catch(() => undefined);
    const pod = { metadata: { uid: "u1", creationTimestamp: new Date().toISOString() } };
    const running = {
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: true, restartCount: 0, state: { running: { startedAt: "x" } } },
      ],
    } as PodStatus;
    kubelet.podStarts.podObserved(pod);
    kubelet.podStarts.statusSet("u1", running);
    kubelet.podStarts.podObserved({ ...pod, status: running });
    await new NetworkPluginMetrics(registry).time("set_up_pod", async () => undefined);
    new GrpcServerMetrics(registry).unaryStarted("/runtime.v1.ImageService/PullImage")(5);
    await new PullMetrics(registry).measure(async () => ({ size: 5_000_000 }));
    await expectPromtoolClean(this, registry);
  });
});
