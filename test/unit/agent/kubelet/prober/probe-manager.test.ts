import { expect } from "chai";
import { silentLogger } from "../../../../../lib/logger.js";
import { ProbeManager } from "../../../../../agent/kubelet/prober/probe-manager.js";
import type { Container, Pod, Probe } from "../../../../../agent/kube/types.js";
import type { RecordedEvent } from "../sync/fake-ports.js";
import { FakeClock } from "./fake-clock.js";
import { FakeExec } from "./fake-exec.js";

const s = 1000;
const check = (what: string, extra: Partial<Probe> = {}): Probe => ({
  exec: { command: ["check", what] },
  ...extra,
});

function podWith(...containers: Container[]): Pod {
  return { metadata: { name: "web", namespace: "ns", uid: "u1" }, spec: { containers } };
}

/** A manager on a fake clock whose exec probes pass while `healthy` has their name. */
function setup(random = 0) {
  const clock = new FakeClock();
  const exec = new FakeExec();
  const healthy = new Set<string>();
  exec.answer = (_id, cmd) =>
    healthy.has(cmd[1]) ? {} : { exitCode: 1, stdout: `${cmd[1]} is not ok` };
  const events: RecordedEvent[] = [];
  const changes: string[] = [];
  const manager = new ProbeManager({
    runtime: exec,
    podIP: () => "10.0.0.5",
    recordEvent: (ref, type, reason, message) => events.push({ ref, type, reason, message }),
    onChange: (uid) => changes.push(uid),
    logger: silentLogger(),
    clock,
    random: () => random,
  });
  const calls = (what: string) => exec.calls.filter((c) => c.cmd[1] === what).length;
  return { clock, exec, healthy, events, changes, manager, calls };
}

describe("probe manager: kubelet's probe workers and results", () => {
  it("starts readiness as failure, liveness as success and startup as unknown", async () => {
    const t = setup();
    const app = { name: "app", livenessProbe: check("live"), readinessProbe: check("ready") };
    t.healthy.add("live").add("ready");
    t.manager.add(podWith(app), app, "c1");
    expect([
      t.manager.liveness("c1"),
      t.manager.readiness("c1"),
      t.manager.startup("c1"),
    ]).to.deep.equal(["success", "failure", undefined]);
    expect(t.changes).to.deep.equal([]);
    await t.clock.advance(0);
    expect(t.manager.readiness("c1")).to.equal("success");
    expect(t.changes).to.deep.equal(["u1"]);
    t.manager.stop();
  });

  it("fails liveness after failureThreshold failures in a row, with an event each, then holds", async () => {
    const t = setup();
    const app = {
      name: "app",
      livenessProbe: check("live", { periodSeconds: 10, failureThreshold: 3 }),
    };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(0);
    await t.clock.advance(10 * s);
    t.healthy.add("live");
    await t.clock.advance(10 * s);
    t.healthy.delete("live");
    await t.clock.advance(20 * s);
    expect(t.manager.liveness("c1")).to.equal("success");
    expect(t.calls("live")).to.equal(5);
    await t.clock.advance(10 * s);
    expect(t.manager.liveness("c1")).to.equal("failure");
    expect(t.changes).to.deep.equal(["u1"]);
    expect(t.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).to.deep.equal(
      Array(5).fill("Warning Unhealthy: Liveness probe failed: live is not ok"),
    );
    await t.clock.advance(60 * s);
    expect(t.calls("live")).to.equal(6);
    t.manager.stop();
  });

  it("needs successThreshold successes for readiness and failureThreshold failures to lose it", async () => {
    const t = setup();
    const probe = check("ready", { periodSeconds: 5, successThreshold: 2, failureThreshold: 2 });
    const app = { name: "app", readinessProbe: probe };
    t.healthy.add("ready");
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(0);
    expect(t.manager.readiness("c1")).to.equal("failure");
    await t.clock.advance(5 * s);
    expect(t.manager.readiness("c1")).to.equal("success");
    t.healthy.delete("ready");
    await t.clock.advance(5 * s);
    expect(t.manager.readiness("c1")).to.equal("success");
    await t.clock.advance(5 * s);
    expect(t.manager.readiness("c1")).to.equal("failure");
    expect(t.changes).to.deep.equal(["u1", "u1"]);
    t.manager.stop();
  });

  it("waits initialDelaySeconds from the container's start, on its period's ticks", async () => {
    const t = setup();
    t.healthy.add("ready");
    const app = {
      name: "app",
      readinessProbe: check("ready", { initialDelaySeconds: 15, periodSeconds: 10 }),
    };
    t.manager.add(podWith(app), app, "c1", t.clock.now());
    await t.clock.advance(19 * s);
    expect(t.calls("ready")).to.equal(0);
    await t.clock.advance(1 * s);
    expect(t.calls("ready")).to.equal(1);
    t.manager.add(podWith(app), app, "c0", t.clock.now() - 60 * s);
    await t.clock.advance(0);
    expect(t.manager.readiness("c0")).to.equal("success");
    t.manager.stop();
  });

  it("holds liveness and readiness until startup succeeds, then probes readiness at once", async () => {
    const t = setup();
    const app: Container = {
      name: "app",
      startupProbe: check("start", { periodSeconds: 10, failureThreshold: 30 }),
      livenessProbe: check("live", { periodSeconds: 10 }),
      readinessProbe: check("ready", { periodSeconds: 10 }),
    };
    t.healthy.add("live").add("ready");
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(0);
    await t.clock.advance(10 * s);
    expect([t.calls("start"), t.calls("live"), t.calls("ready")]).to.deep.equal([2, 0, 0]);
    expect(t.manager.startup("c1")).to.equal(undefined);
    t.healthy.add("start");
    await t.clock.advance(5 * s);
    expect([t.calls("start"), t.calls("live"), t.calls("ready")]).to.deep.equal([2, 0, 0]);
    await t.clock.advance(5 * s);
    expect(t.manager.startup("c1")).to.equal("success");
    expect(t.manager.readiness("c1")).to.equal("success");
    expect([t.calls("start"), t.calls("live"), t.calls("ready")]).to.deep.equal([3, 0, 1]);
    await t.clock.advance(30 * s);
    expect(t.calls("start")).to.equal(3);
    expect(t.calls("live")).to.equal(3);
    expect(t.calls("ready")).to.equal(4);
    t.manager.stop();
  });

  it("fails startup after failureThreshold failures and stops probing it", async () => {
    const t = setup();
    const app = {
      name: "app",
      startupProbe: check("start", { periodSeconds: 1, failureThreshold: 2 }),
    };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(1 * s);
    expect(t.manager.startup("c1")).to.equal("failure");
    expect(t.events.at(-1)?.message).to.equal("Startup probe failed: start is not ok");
    await t.clock.advance(10 * s);
    expect(t.calls("start")).to.equal(2);
    t.manager.stop();
  });

  it("runs the next probe at once when one outlasts the period, as a Go ticker", async () => {
    const t = setup();
    const times: number[] = [];
    const start = t.clock.now();
    t.exec.answer = async () => {
      times.push(t.clock.now() - start);
      if (times.length === 1) await t.clock.sleep(25 * s);
      return {};
    };
    const app = {
      name: "app",
      readinessProbe: check("ready", { periodSeconds: 10, timeoutSeconds: 30 }),
    };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(45 * s);
    expect(times).to.deep.equal([0, 25 * s, 30 * s, 40 * s]);
    t.manager.stop();
  });

  it("forgets a removed container's results and stops its workers", async () => {
    const t = setup();
    const app = { name: "app", livenessProbe: check("live"), readinessProbe: check("ready") };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(0);
    t.manager.remove("c1");
    expect([t.manager.liveness("c1"), t.manager.readiness("c1")]).to.deep.equal([
      undefined,
      undefined,
    ]);
    expect(t.clock.pending()).to.equal(0);
    t.manager.add(podWith(app), app, "c2");
    t.manager.removePod("u1");
    expect(t.manager.readiness("c2")).to.equal(undefined);
    expect(t.clock.pending()).to.equal(0);
  });

  it("stops a deleted pod's liveness with success, while readiness goes on", async () => {
    const t = setup();
    const app = {
      name: "app",
      livenessProbe: check("live", { periodSeconds: 10, failureThreshold: 2 }),
      readinessProbe: check("ready", { periodSeconds: 10 }),
    };
    const pod = podWith(app);
    t.manager.add(pod, app, "c1");
    await t.clock.advance(0);
    const deleted = {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: "2025-01-01T00:00:00Z" },
    };
    t.manager.updatePod(deleted);
    await t.clock.advance(30 * s);
    expect(t.manager.liveness("c1")).to.equal("success");
    expect(t.calls("live")).to.equal(1);
    expect(t.calls("ready")).to.equal(4);
    t.manager.stop();
  });

  it("syncPod probes running containers and sidecars with probes, and drops the others", () => {
    const t = setup();
    const pod: Pod = {
      metadata: { name: "web", namespace: "ns", uid: "u1" },
      spec: {
        initContainers: [
          { name: "setup", readinessProbe: check("ready") },
          { name: "proxy", restartPolicy: "Always", readinessProbe: check("ready") },
        ],
        containers: [{ name: "app", readinessProbe: check("ready") }, { name: "plain" }],
      },
    };
    t.manager.syncPod(pod, [
      { name: "setup", id: "i1" },
      { name: "proxy", id: "s1" },
      { name: "app", id: "a1" },
      { name: "plain", id: "p1" },
    ]);
    const readiness = (ids: string[]) => ids.map((id) => t.manager.readiness(id));
    expect(readiness(["i1", "s1", "a1", "p1"])).to.deep.equal([
      undefined,
      "failure",
      "failure",
      undefined,
    ]);
    t.manager.syncPod(pod, [{ name: "app", id: "a2" }]);
    expect(readiness(["s1", "a1", "a2"])).to.deep.equal([undefined, undefined, "failure"]);
    t.manager.stop();
  });

  it("reports an invalid probe on the container and does not run it", async () => {
    const t = setup();
    const app = { name: "app", livenessProbe: check("live", { periodSeconds: -5 }) };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(60 * s);
    expect(t.calls("live")).to.equal(0);
    expect(t.manager.liveness("c1")).to.equal(undefined);
    expect(t.events.map((e) => e.message)).to.deep.equal([
      "Liveness probe errored: spec.containers[0].livenessProbe.periodSeconds: must be an integer of at least 1, not -5",
    ]);
  });

  it("spreads the first probes over a period just after it starts, not later", async () => {
    const t = setup(0.5);
    const app = { name: "app", readinessProbe: check("ready", { periodSeconds: 10 }) };
    t.manager.add(podWith(app), app, "c1");
    await t.clock.advance(4999);
    expect(t.calls("ready")).to.equal(0);
    await t.clock.advance(1);
    expect(t.calls("ready")).to.equal(1);
    await t.clock.advance(5 * s);
    t.manager.add(podWith(app), app, "c2");
    await t.clock.advance(0);
    expect(t.exec.callsFor("c2")).to.equal(1);
    t.manager.stop();
  });
});
