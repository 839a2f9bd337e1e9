import { expect } from "chai";
import { Registry } from "prom-client";
import { registerRunningGauges } from "../../../../../agent/kubelet/metrics/running-gauges.js";
import type { ContainerRecord, SandboxRecord } from "../../../../../agent/runtime/records.js";
import { sample } from "./exposition.js";

const sandbox = (id: string, state: SandboxRecord["state"], uid = id) =>
  ({ id, state, config: { metadata: { uid } } }) as unknown as SandboxRecord;
const container = (id: string, state: string) => ({ id, state }) as unknown as ContainerRecord;

describe("agent/kubelet/metrics running gauges", () => {
  it("counts pods with a ready sandbox and containers by state, at each scrape", async () => {
    const sandboxes = [
      sandbox("s1", "ready", "pod-a"),
      sandbox("s2", "ready", "pod-a"), // a second ready sandbox of the same pod counts once
      sandbox("s3", "notready", "pod-b"),
      sandbox("s4", "creating", "pod-c"),
      sandbox("s5", "ready", "pod-d"),
    ];
    const containers = [
      container("c1", "running"),
      container("c2", "running"),
      container("c3", "exited"),
      container("c4", "created"),
      container("c5", "creating"), // CRI does not list these: not counted
      container("c6", "removing"),
      container("c7", "bogus"),
    ];
    const registry = new Registry();
    registerRunningGauges(registry, {
      sandboxes: { list: () => sandboxes },
      containers: { list: () => containers },
    });
    const state = (s: string) =>
      sample(registry, "kubelet_running_containers", { container_state: s });
    expect(await sample(registry, "kubelet_running_pods")).to.equal(2);
    expect(await state("running")).to.equal(2);
    expect(await state("exited")).to.equal(1);
    expect(await state("created")).to.equal(1);
    expect(await state("unknown")).to.equal(1);

    // The next scrape sees the records as they are then; an emptied state shows 0.
    sandboxes.splice(0, 2);
    containers.splice(0, 2);
    expect(await sample(registry, "kubelet_running_pods")).to.equal(1);
    expect(await state("running")).to.equal(0);
    expect(await state("exited")).to.equal(1);
  });
});
