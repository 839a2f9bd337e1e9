import { expect } from "chai";
import { cpSync, readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultLeaderKey } from "../../controller/leader/leader-election.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { run } from "../../lib/exec.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { requireIntegration } from "../support/prerequisites.js";
import { answerError, SimApiClient, type SimTls } from "../support/sim-api-client.js";
import { startSimulatedNodes, type SimulatedNodes } from "../support/simulated-nodes.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";
import { runTeardown } from "../support/teardown.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

const namespace = "failover";
const leaseSeconds = 3;
// Takeover: the dead leader's lease runs out (≤ the TTL), then the survivor starts its informers
// and schedules. The slack covers a loaded 2-CPU machine.
const takeoverSlackMs = 4_000;
const podsPath = `/api/v1/namespaces/${namespace}/pods`;
const deploymentsPath = `/apis/apps/v1/namespaces/${namespace}/deployments`;

const barePod = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels: { app: "bare" } },
  spec: { containers: [{ name: "app", image: "busybox:1.36" }] },
});

const deployment = (replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
    },
  },
});

/** One line of a controller's JSON log. */
interface LogLine {
  message: string;
  timestamp: string;
  identity?: string;
  holder?: string;
}

/** The controller's log lines (winston JSON on stderr), optionally only from `fromChar` on. */
function logLines(controller: ControllerProcess, fromChar = 0): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of controller.stderr().slice(fromChar).split("\n")) {
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed?.message === "string") lines.push(parsed);
    } catch {
      // not a log line (a partial last line)
    }
  }
  return lines;
}

const logged = (controller: ControllerProcess, message: string, fromChar = 0) =>
  logLines(controller, fromChar).filter((l) => l.message === message);

/** One nodeName change of a pod, as the watch saw it. */
interface Binding {
  uid: string;
  name: string;
  node: string;
  seenAt: number;
}

/**
 * Every pod of the namespace from before anything is created: each pod's nodeName history, the
 * bindings in the order seen, and a check run on the non-terminating pods after every event.
 */
class PodHistory {
  readonly bindings: Binding[] = [];
  /** Pods whose nodeName changed after being set, or were added already bound: must stay empty. */
  readonly violations: string[] = [];
  readonly pods = new Map<string, Wire>();
  private readonly nodeOf = new Map<string, string>();
  private failure?: Error;
  private request?: import("node:http").ClientRequest;
  private stopped = false;
  events = 0;

  constructor(private readonly onEvent: (history: PodHistory) => void) {}

  async start(client: SimApiClient): Promise<void> {
    const listed = await client.request("GET", podsPath);
    if (listed.status !== 200) throw answerError("list pods", listed);
    for (const pod of listed.body.items) this.observe(pod, false);
    const url =
      `${client.url}${podsPath}?watch=true&timeoutSeconds=1800` +
      `&resourceVersion=${listed.body.metadata.resourceVersion}`;
    const req = https.request(url, { ...client.tls, agent: false });
    this.request = req;
    req.on("error", (err) => this.fail(`pod watch: ${err.message}`));
    req.on("response", (res) => {
      if (res.statusCode !== 200) return this.fail(`pod watch: HTTP ${res.statusCode}`);
      res.setEncoding("utf8");
      let buffered = "";
      res.on("data", (text: string) => {
        buffered += text;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line) this.handle(JSON.parse(line));
        }
      });
      res.on("end", () => this.fail("pod watch: the server ended the stream"));
    });
    req.end();
  }

  stop(): void {
    this.stopped = true;
    this.request?.destroy();
  }

  /** Throws the first failure: a broken watch or a throwing check. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Non-terminating pods whose labels include `app=<app>`. */
  live(app: string): Wire[] {
    return [...this.pods.values()].filter(
      (p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp,
    );
  }

  boundCount(): number {
    return this.nodeOf.size;
  }

  private handle(event: { type: string; object: Wire }): void {
    if (event.type === "BOOKMARK") return;
    if (event.type === "ERROR") return this.fail(`pod watch: ${event.object?.message}`);
    this.events++;
    if (event.type === "DELETED") this.pods.delete(event.object.metadata.uid);
    else this.observe(event.object, event.type === "MODIFIED");
    try {
      this.onEvent(this);
    } catch (err) {
      this.failure ??= err as Error;
    }
  }

  private observe(pod: Wire, modified: boolean): void {
    const { uid, name } = pod.metadata;
    this.pods.set(uid, pod);
    const node: string = pod.spec.nodeName ?? "";
    const before = this.nodeOf.get(uid);
    if (before === node || (before === undefined && node === "")) return;
    if (before !== undefined) {
      this.violations.push(`${name}: nodeName ${before} → ${node || "(empty)"}`);
    } else if (!modified) {
      this.violations.push(`${name}: first seen already bound to ${node}`);
    }
    this.nodeOf.set(uid, node);
    this.bindings.push({ uid, name, node, seenAt: Date.now() });
  }

  private fail(message: string): void {
    if (!this.stopped) this.failure ??= new Error(message);
  }
}

describe("controller failover: two berth controllers on one etcd", function () {
  this.timeout(120_000);
  let base: ReturnType<typeof tempDir> | undefined;
  let etcd: TestEtcd | undefined;
  /** Starts as the leader; killed in the middle; restarted as a follower. */
  let first: ControllerProcess | undefined;
  /** Every client talks to this one: it is never killed. */
  let second: ControllerProcess | undefined;
  let api: SimApiClient | undefined;
  let sim: SimulatedNodes | undefined;
  let history: PodHistory | undefined;
  let tls: SimTls;
  let webTarget = 0;
  const overshoots: string[] = [];
  let firstIdentity = "";
  let secondIdentity = "";
  let killedAt = 0;

  /** At no watch event were there more live web pods than the Deployment wanted then. */
  const expectNoOvershoot = () =>
    expect(overshoots.length, `overshoots, first: ${overshoots.slice(0, 3).join("; ")}`).to.equal(
      0,
    );

  const controllerArgs = ["--leader-lease-seconds", String(leaseSeconds)];
  const dataDir = (name: string) => path.join(base!.path, name, "controller");

  async function call(method: string, p: string, body?: unknown, contentType?: string) {
    const answer = await api!.request(method, p, body, { contentType });
    if (answer.status !== 200 && answer.status !== 201) {
      throw answerError(`${method} ${p}`, answer);
    }
    return answer.body;
  }

  async function leaderKey(): Promise<string> {
    const { stdout } = await run(
      "etcdctl",
      ["--endpoints", etcd!.endpoint, "get", defaultLeaderKey, "--print-value-only"],
      { timeoutMs: 10_000 },
    );
    return stdout.trim();
  }

  const waitLogged = (c: ControllerProcess, message: string, fromChar = 0, timeoutMs = 15_000) =>
    waitFor(
      `"${message}" in the controller log`,
      async () => logged(c, message, fromChar)[0],
      timeoutMs,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${c.stderr().slice(fromChar).slice(-3000)}`);
    });

  /** Waits until exactly `count` pods match, all bound and Running (as the watch sees them). */
  const allRunning = (what: string, matches: (pod: Wire) => boolean, count: number) =>
    waitFor(
      what,
      async () => {
        history!.check();
        const pods = [...history!.pods.values()].filter(matches);
        const running = pods.filter((p) => p.spec.nodeName && p.status?.phase === "Running");
        return pods.length === count && running.length === count ? pods : undefined;
      },
      60_000,
    );

  before(async function () {
    requireIntegration(this, ["etcd", "etcdctl", "openssl"]);
    base = tempDir("controller-failover");
    etcd = await startEtcd();
    first = await startControllerProcess(path.join(base.path, "first"), etcd.endpoint, {
      args: controllerArgs,
    });
    firstIdentity = (await waitLogged(first, "leading")).identity!;
    // The same cluster CA, serving and admin certificates for both: one cluster, two servers.
    cpSync(pkiLayout(dataDir("first")).dir, pkiLayout(dataDir("second")).dir, { recursive: true });
    second = await startControllerProcess(path.join(base.path, "second"), etcd.endpoint, {
      args: controllerArgs,
    });
    secondIdentity = (await waitLogged(second, "following")).identity!;
    const layout = pkiLayout(dataDir("second"));
    tls = {
      ca: readFileSync(layout.caCert, "utf8"),
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
    };
    api = new SimApiClient(second.url, tls, 16);
    await call("POST", "/api/v1/namespaces", { metadata: { name: namespace } });
    history = new PodHistory((h) => {
      const live = h.live("web");
      if (live.length > webTarget) {
        const owners = new Map<string, number>();
        for (const pod of live) {
          const owner = pod.metadata.ownerReferences?.[0]?.name ?? "(none)";
          owners.set(owner, (owners.get(owner) ?? 0) + 1);
        }
        const by = [...owners].map(([owner, n]) => `${n} of ${owner}`).join(", ");
        overshoots.push(`${live.length} live web pods (${by}), ${webTarget} wanted`);
      }
    });
    await history.start(api);
    sim = await startSimulatedNodes({ url: second.url, ...tls, count: 4 });
  });

  after(async () => {
    const steps = [
      () => history?.stop(),
      () => sim?.stop(),
      () => api?.close(),
      () => first?.stop(),
      () => second?.stop(),
      () => etcd?.stop(),
      () => base?.remove(),
    ];
    await runTeardown(steps);
  });

  it("elects exactly one leader, which schedules pods created through the follower", async () => {
    expect(firstIdentity).to.not.equal(secondIdentity);
    expect(logged(second!, "following")[0].holder).to.equal(firstIdentity);
    expect(logged(second!, "leading")).to.deep.equal([]);
    expect(logged(second!, "controllers started")).to.deep.equal([]);
    await waitLogged(first!, "controllers started");
    expect(await leaderKey()).to.equal(firstIdentity);

    for (let i = 0; i < 4; i++) await call("POST", podsPath, barePod(`before-${i}`));
    webTarget = 6;
    await call("POST", deploymentsPath, deployment(webTarget));
    await allRunning("4 bare pods Running", (p) => p.metadata.name.startsWith("before-"), 4);
    await allRunning("6 web pods Running", (p) => p.metadata.labels?.app === "web", 6);
    // The follower still follows, and never started controllers of its own.
    expect(logged(second!, "leading")).to.deep.equal([]);
    expect(logged(second!, "controllers started")).to.deep.equal([]);
  });

  it("keeps scheduling after the leader is SIGKILLed mid-stream, binding no pod twice", async () => {
    // A stream of bare pods, one after another, for the whole failover.
    let creating = true;
    let created = 0;
    let creatorFailure: Error | undefined;
    const creator = (async () => {
      while (creating) {
        await call("POST", podsPath, barePod(`stream-${created}`));
        created++;
        await sleep(40);
      }
    })().catch((err: Error) => {
      creatorFailure = err;
    });
    /** How many stream pods exist; throws if creating one failed. */
    const streamed = () => {
      if (creatorFailure) throw creatorFailure;
      return created;
    };
    try {
      await waitFor("the stream to get going", async () => (streamed() >= 10 ? true : undefined));
      // Scale the Deployment up and kill the leader as soon as its ReplicaSet controller has
      // made the first of the new pods: it dies in the middle of the scale-up.
      const before = history!.live("web").length;
      webTarget = 20;
      await call(
        "PATCH",
        `${deploymentsPath}/web`,
        { spec: { replicas: webTarget } },
        "application/merge-patch+json",
      );
      await waitFor("a new web pod", async () =>
        history!.live("web").length > before ? true : undefined,
      );
      await first!.kill();
      killedAt = Date.now();
      const webAtKill = history!.live("web").length;
      const bindingsAtKill = history!.bindings.length;

      const leading = await waitLogged(second!, "leading", 0, (leaseSeconds + 5) * 1000);
      const leadingAt = Date.parse(leading.timestamp);
      const firstBySurvivor = await waitFor(
        "a binding by the new leader",
        async () => history!.bindings.find((b) => b.seenAt > leadingAt),
        (leaseSeconds + 10) * 1000,
      );
      // Keep creating for a while under the new leader, then stop the stream.
      const createdAtTakeover = streamed();
      await waitFor("more pods created under the new leader", async () =>
        streamed() >= createdAtTakeover + 20 ? true : undefined,
      );
      creating = false;
      await creator;
      streamed();

      const gapMs = firstBySurvivor.seenAt - killedAt;
      console.log(
        `      leader killed with ${webAtKill}/${webTarget} web pods and ${bindingsAtKill} bindings; ` +
          `the survivor led after ${leadingAt - killedAt} ms and bound its first pod ` +
          `(${firstBySurvivor.name}) ${gapMs} ms after the kill (lease ${leaseSeconds} s)`,
      );
      expect(leadingAt - killedAt).to.be.below(leaseSeconds * 1000 + 1_000);
      expect(gapMs).to.be.below(leaseSeconds * 1000 + takeoverSlackMs);
      // Between the kill and the takeover nobody leads: no binding may appear but the dead
      // leader's last ones, already on their way to etcd when it died.
      const leaderless = history!.bindings.filter(
        (b) => b.seenAt > killedAt + 1_000 && b.seenAt <= leadingAt,
      );
      expect(leaderless.map((b) => b.name)).to.deep.equal([]);

      const total = 4 + created;
      await allRunning(
        `${total} bare pods Running`,
        (p) => p.metadata.labels?.app === "bare",
        total,
      );
      await allRunning("20 web pods Running", (p) => p.metadata.labels?.app === "web", 20);
      // A few more seconds of quiet: nothing is created or bound behind our back.
      expectNoOvershoot();
      const bound = history!.boundCount();
      await sleep(2_000);
      history!.check();
      expect(history!.live("web")).to.have.length(20);
      expect(history!.boundCount()).to.equal(bound);
      expect(bound).to.equal(total + 20);
      expect(history!.violations).to.deep.equal([]);
      const bindingsPerPod = new Map<string, number>();
      for (const b of history!.bindings) {
        bindingsPerPod.set(b.uid, (bindingsPerPod.get(b.uid) ?? 0) + 1);
      }
      expect([...bindingsPerPod.values()].filter((n) => n !== 1)).to.deep.equal([]);
      const deployed = await call("GET", `${deploymentsPath}/web`);
      expect(deployed.status).to.include({ replicas: 20, readyReplicas: 20 });
      expect(await leaderKey()).to.equal(secondIdentity);
    } finally {
      creating = false;
      await creator;
    }
  });

  it("restarts the killed controller as a follower while the new leader stays", async () => {
    expect(killedAt, "the failover test ran").to.be.greaterThan(0);
    const secondLogFrom = second!.stderr().length;
    const again = await startControllerProcess(path.join(base!.path, "first"), etcd!.endpoint, {
      args: controllerArgs,
    });
    first = again;
    const following = await waitLogged(again, "following");
    expect(following.holder).to.equal(secondIdentity);
    const restartedIdentity = following.identity!;
    expect(restartedIdentity).to.not.equal(firstIdentity);

    // Pods created through the restarted follower are scheduled by the leader.
    const restarted = new SimApiClient(again.url, tls, 4);
    try {
      for (let i = 0; i < 5; i++) {
        const answer = await restarted.request("POST", podsPath, barePod(`after-restart-${i}`));
        if (answer.status !== 201) throw answerError("create through the follower", answer);
      }
    } finally {
      await restarted.close();
    }
    const pods = await allRunning(
      "5 pods created through the restarted controller Running",
      (p) => p.metadata.name.startsWith("after-restart-"),
      5,
    );
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).to.be.greaterThan(1);
    // Two more lease periods: the leadership does not move back and forth.
    await sleep(2 * leaseSeconds * 1000);
    expect(logged(again, "leading")).to.deep.equal([]);
    expect(logged(again, "controllers started")).to.deep.equal([]);
    expect(logged(second!, "stepped down", secondLogFrom)).to.deep.equal([]);
    expect(await leaderKey()).to.equal(secondIdentity);
    history!.check();
    expect(history!.live("web")).to.have.length(20);
    expect(history!.violations).to.deep.equal([]);
    expectNoOvershoot();
  });
});
