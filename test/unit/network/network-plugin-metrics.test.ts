import { expect } from "chai";
import { Registry } from "prom-client";
import { silentLogger } from "../../../lib/logger.js";
import type { CniRunner } from "../../../cni/runner/cni-runner.js";
import { CniPodNetwork } from "../../../agent/network/cni-pod-network.js";
import { NetworkPluginMetrics } from "../../../agent/network/network-plugin-metrics.js";
import type { SandboxRecord } from "../../../agent/runtime/records.js";
import { sample } from "../agent/kubelet/metrics/exposition.js";

const sandbox = {
  id: "sb1",
  namespaces: { net: "/run/netns/x" },
  config: { metadata: { name: "web", namespace: "default", uid: "u1" }, port_mappings: [] },
} as unknown as SandboxRecord;

/** A CNI runner whose ADD and DEL answer as told; `attached` is what isAttached says. */
function fakeRunner(options: { failAdd?: boolean; attached: boolean }) {
  return {
    add: async () => {
      if (options.failAdd) throw new Error("plugin crashed");
      return { cniVersion: "1.0.0", ips: [{ address: "10.88.0.5/16" }] };
    },
    del: async () => undefined,
    isAttached: async () => options.attached,
  } as unknown as CniRunner;
}

const op = (registry: Registry, name: string, operation: string) =>
  sample(registry, name, { operation_type: operation });

describe("agent/network kubelet network plugin metrics", () => {
  it("counts and times CNI ADD as set_up_pod and DEL as tear_down_pod, with failures", async () => {
    const registry = new Registry();
    const metrics = new NetworkPluginMetrics(registry);
    const ok = new CniPodNetwork(fakeRunner({ attached: true }), silentLogger(), metrics);
    expect(await ok.attach(sandbox)).to.deep.equal(["10.88.0.5"]);
    await ok.detach(sandbox);
    const failing = new CniPodNetwork(
      fakeRunner({ failAdd: true, attached: false }),
      silentLogger(),
      metrics,
    );
    const err = await failing.attach(sandbox).catch((e: Error) => e);
    expect((err as Error).message).to.contain("plugin crashed");
    await failing.detach(sandbox); // never attached: no DEL runs, nothing is counted

    const total = "kubelet_network_plugin_operations_total";
    expect(await op(registry, total, "set_up_pod")).to.equal(2);
    expect(await op(registry, total, "tear_down_pod")).to.equal(1);
    expect(
      await op(registry, "kubelet_network_plugin_operations_errors_total", "set_up_pod"),
    ).to.equal(1);
    expect(
      await op(
        registry,
        "kubelet_network_plugin_operations_duration_seconds_count",
        "tear_down_pod",
      ),
    ).to.equal(1);
  });
});
