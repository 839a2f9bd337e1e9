import { expect } from "chai";
import { setTimeout as sleep } from "node:timers/promises";
import { silentLogger } from "../../../../../lib/logger.js";
import type { Pod, PodStatus } from "../../../../../agent/kube/types.js";
import { StatusManager } from "../../../../../agent/kubelet/sync/status-manager.js";
import { FakeApi } from "./fake-ports.js";

const pod = (uid: string): Pod => ({ metadata: { uid, name: `p-${uid}`, namespace: "ns" } });
const running = (time: string): PodStatus => ({
  phase: "Running",
  conditions: [{ type: "Ready", status: "True", lastTransitionTime: time }],
});

describe("agent/kubelet/sync StatusManager", () => {
  let managers: StatusManager[] = [];
  const make = (api: ConstructorParameters<typeof StatusManager>[0]["api"], extra = {}) => {
    const m = new StatusManager({ api, logger: silentLogger(), retryMs: 20, ...extra });
    managers.push(m);
    return m;
  };
  afterEach(() => {
    for (const m of managers) m.stop();
    managers = [];
  });

  it("writes only the newest of several statuses set together", async () => {
    const api = new FakeApi();
    const m = make(api);
    m.set(pod("a"), { phase: "Pending" });
    m.set(pod("a"), running("t1"));
    await m.flush("a");
    expect(api.statuses.map((s) => s.status.phase)).to.deep.equal(["Running"]);
    expect(m.lastWritten("a")?.phase).to.equal("Running");
  });

  it("does not write a status again when only transition times moved", async () => {
    const api = new FakeApi();
    const m = make(api);
    m.set(pod("a"), running("t1"));
    await m.flush("a");
    m.set(pod("a"), running("t2"));
    await m.flush("a");
    expect(api.statuses).to.have.length(1);
    m.set(pod("a"), { ...running("t2"), podIP: "10.0.0.1" });
    await m.flush("a");
    expect(api.statuses).to.have.length(2);
  });

  it("retries a failed write until the API takes it", async () => {
    const api = new FakeApi();
    api.failPatches = 2;
    const m = make(api);
    m.set(pod("a"), running("t1"));
    for (let i = 0; i < 50 && api.statuses.length === 0; i++) await sleep(10);
    expect(api.statuses).to.have.length(1);
  });

  it("keeps at most `concurrency` writes in flight", async () => {
    let active = 0;
    let peak = 0;
    const written: string[] = [];
    const api = {
      async patchPodStatus(_ns: string, _n: string, uid: string) {
        active++;
        peak = Math.max(peak, active);
        await sleep(5);
        written.push(uid);
        active--;
      },
    };
    const m = make(api, { concurrency: 2 });
    for (const uid of ["a", "b", "c", "d", "e"]) m.set(pod(uid), running("t"));
    await Promise.all(["a", "b", "c", "d", "e"].map((uid) => m.flush(uid)));
    expect(written.sort()).to.deep.equal(["a", "b", "c", "d", "e"]);
    expect(peak).to.equal(2);
  });

  it("writes a status set while a write of the same pod is in flight, after it", async () => {
    const seen: string[] = [];
    const api = {
      async patchPodStatus(_ns: string, _n: string, _uid: string, status: PodStatus) {
        await sleep(10);
        seen.push(status.phase!);
      },
    };
    const m = make(api);
    m.set(pod("a"), { phase: "Pending" });
    await sleep(2);
    m.set(pod("a"), running("t"));
    await m.flush("a");
    expect(seen).to.deep.equal(["Pending", "Running"]);
  });
});
