import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  startLeaderElection,
  type LeaderElection,
} from "../../controller/leader/leader-election.js";
import { run } from "../../lib/exec.js";
import { silentLogger } from "../../lib/logger.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaderModule = new URL("../../controller/leader/leader-election.js", import.meta.url).href;
const loggerModule = new URL("../../lib/logger.js", import.meta.url).href;

/**
 * Samples every candidate's view of itself every 50 ms; any sample with two leaders is recorded.
 * Also counts how many samples saw a leader at all, so a test cannot pass by nobody leading.
 */
class LeaderSampler {
  readonly doubleLeaders: string[] = [];
  samples = 0;
  samplesWithLeader = 0;
  private readonly candidates = new Map<string, () => boolean>();
  private readonly timer = setInterval(() => this.sample(), 50);

  add(name: string, isLeader: () => boolean): void {
    this.candidates.set(name, isLeader);
  }

  leaders(): string[] {
    return [...this.candidates].filter(([, isLeader]) => isLeader()).map(([name]) => name);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const leaders = this.leaders();
    this.samples++;
    if (leaders.length > 0) this.samplesWithLeader++;
    if (leaders.length > 1) this.doubleLeaders.push(`${new Date().toISOString()}: ${leaders}`);
  }
}

/** A candidate in a child process (node running the compiled module), reporting on stdout. */
interface ChildCandidate {
  identity: string;
  process: ChildProcess;
  /** As last reported by the child; false once it has exited. */
  leading: boolean;
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const childScript = `
const config = JSON.parse(process.env.BERTH_TEST_LEADER);
const { startLeaderElection } = await import(config.leaderModule);
const { createLogger } = await import(config.loggerModule);
const election = startLeaderElection({
  endpoints: config.endpoints,
  key: config.key,
  identity: config.identity,
  leaseSeconds: config.leaseSeconds,
  logger: createLogger("leader-test-child", "debug"),
});
election.onChange(async (leading) => {
  process.stdout.write(leading ? "leading\\n" : "following\\n");
  if (leading && config.closeWhenLeading) {
    await election.close();
    process.stdout.write("closed\\n");
  }
});
`;

describe("controller leader election on etcd", function () {
  this.timeout(120_000);

  let etcd: TestEtcd | undefined;
  let sampler: LeaderSampler;
  const elections: LeaderElection[] = [];
  const children: ChildCandidate[] = [];
  let key: string;

  before(async function () {
    requireIntegration(this, ["etcd", "etcdctl"]);
    etcd = await startEtcd();
  });

  beforeEach(() => {
    sampler = new LeaderSampler();
    key = `/berth-test/leader/${randomBytes(4).toString("hex")}`;
  });

  afterEach(async function () {
    sampler?.stop();
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        process.kill(child.process.pid!, "SIGKILL");
      }
      await child.exited;
    }
    await Promise.all(elections.splice(0).map((e) => e.close()));
    if (this.currentTest?.state !== "passed" || !etcd?.pid()) return;
    // Every candidate is gone: no lease and no keep-alive or watch stream may be left behind.
    await waitFor(
      "leases and streams to be released",
      async () => {
        const leases = await leaseCount(etcd!.endpoint);
        const streams = await openStreams(etcd!.endpoint);
        return leases === 0 && streams.keepAlive === 0 && streams.watch === 0 ? true : undefined;
      },
      5_000,
    ).catch(async (err: Error) => {
      const streams = await openStreams(etcd!.endpoint);
      throw new Error(
        `${err.message}: ${await leaseCount(etcd!.endpoint)} leases, ${JSON.stringify(streams)}`,
      );
    });
  });

  after(async () => {
    await etcd?.stop();
  });

  function candidate(name: string, leaseSeconds: number): LeaderElection {
    const election = startLeaderElection({
      endpoints: [etcd!.endpoint],
      logger: silentLogger(),
      key,
      identity: name,
      leaseSeconds,
    });
    elections.push(election);
    sampler.add(name, () => election.isLeader());
    return election;
  }

  function childCandidate(
    identity: string,
    leaseSeconds: number,
    options: { closeWhenLeading?: boolean } = {},
  ): ChildCandidate {
    const config = {
      leaderModule,
      loggerModule,
      endpoints: [etcd!.endpoint],
      key,
      identity,
      leaseSeconds,
      closeWhenLeading: options.closeWhenLeading ?? false,
    };
    const child = spawn(process.execPath, ["--input-type=module", "-e", childScript], {
      env: { ...process.env, BERTH_TEST_LEADER: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const candidate: ChildCandidate = {
      identity,
      process: child,
      leading: false,
      lines: [],
      stderr: () => stderr,
      exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
    };
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
    let pending = "";
    child.stdout!.on("data", (b: Buffer) => {
      pending += b.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        candidate.lines.push(line);
        if (line === "leading") candidate.leading = true;
        if (line === "following" || line === "closed") candidate.leading = false;
      }
    });
    child.once("exit", () => (candidate.leading = false));
    children.push(candidate);
    sampler.add(identity, () => candidate.leading);
    return candidate;
  }

  /** Waits until exactly one of `all` leads and every one names it; returns it. */
  async function oneLeader<T extends LeaderElection>(all: Record<string, T>): Promise<string> {
    return waitFor(
      "exactly one leader, named by all",
      async () => {
        const leaders = Object.keys(all).filter((name) => all[name].isLeader());
        if (leaders.length !== 1) return undefined;
        const named = Object.values(all).every((e) => e.leader() === leaders[0]);
        return named ? leaders[0] : undefined;
      },
      15_000,
    );
  }

  function expectNoDoubleLeader(): void {
    expect(sampler.doubleLeaders, "samples with two leaders").to.deep.equal([]);
    expect(sampler.samplesWithLeader, "samples with a leader").to.be.greaterThan(0);
  }

  it("elects exactly one of two candidates, keeps it across renewals and both name it", async () => {
    const a = candidate("a", 2);
    const b = candidate("b", 2);
    const changes: string[] = [];
    a.onChange((leading) => changes.push(`a ${leading}`));
    b.onChange((leading) => changes.push(`b ${leading}`));
    const leader = await oneLeader({ a, b });
    // Several keep-alive rounds (every TTL/3) go by without a flap.
    await sleep(5_000);
    expect(await oneLeader({ a, b })).to.equal(leader);
    expect(changes).to.deep.equal([`${leader} true`]);
    const { stdout } = await run("etcdctl", [
      "--endpoints",
      etcd!.endpoint,
      "get",
      key,
      "--print-value-only",
    ]);
    expect(stdout.trim()).to.equal(leader);
    expectNoDoubleLeader();
  });

  it("hands over within 1 s when the leader resigns, and the resigned one follows", async () => {
    const all = { a: candidate("a", 2), b: candidate("b", 2) };
    const leader = await oneLeader(all);
    const other = leader === "a" ? "b" : "a";
    const started = Date.now();
    await all[leader as "a" | "b"].resign();
    expect(all[leader as "a" | "b"].isLeader()).to.equal(false);
    await waitFor("the other to lead", async () => all[other].isLeader() || undefined, 1_000);
    const tookMs = Date.now() - started;
    expect(tookMs).to.be.below(1_000);
    // Past the resigned candidate's hold-back it campaigns again, and loses to the new leader.
    await sleep(2_500);
    expect(await oneLeader(all)).to.equal(other);
    expectNoDoubleLeader();
  });

  it("takes over a vacant key after resigning when nobody else does", async () => {
    const alone = candidate("alone", 2);
    await waitFor("alone to lead", async () => alone.isLeader() || undefined);
    const started = Date.now();
    await alone.resign();
    await waitFor("alone to lead again", async () => alone.isLeader() || undefined, 5_000);
    // It held back for one TTL first, leaving the others the chance to take over.
    expect(Date.now() - started).to.be.at.least(1_900);
  });

  it("hands over at once when the leader closes", async () => {
    const all = { a: candidate("a", 3), b: candidate("b", 3) };
    const leader = await oneLeader(all);
    const other = leader === "a" ? "b" : "a";
    const started = Date.now();
    await all[leader as "a" | "b"].close();
    await waitFor("the other to lead", async () => all[other].isLeader() || undefined, 4_000);
    expect(Date.now() - started).to.be.below(1_000);
    expect(await leaseCount(etcd!.endpoint)).to.equal(1);
    expectNoDoubleLeader();
  });

  it("hands over within the lease TTL + 1 s when the leader's process is killed", async () => {
    const leaseSeconds = 2;
    const child = childCandidate("child", leaseSeconds);
    await waitFor("the child to lead", async () => child.leading || undefined).catch((err) => {
      throw new Error(`${err.message}\n${child.stderr().slice(-4000)}`);
    });
    const b = candidate("b", leaseSeconds);
    await waitFor("b to see the child lead", async () => b.leader() === "child" || undefined);
    await sleep(1_500);
    expect(b.isLeader()).to.equal(false);
    const killedAt = Date.now();
    process.kill(child.process.pid!, "SIGKILL");
    await child.exited;
    await waitFor("b to lead", async () => b.isLeader() || undefined, (leaseSeconds + 2) * 1000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).to.be.below((leaseSeconds + 1) * 1000);
    expect(b.leader()).to.equal("b");
    expectNoDoubleLeader();
  });

  it("releases everything on close: a child that closes once leading exits by itself", async () => {
    const child = childCandidate("closer", 2, { closeWhenLeading: true });
    const code = await Promise.race([child.exited, sleep(10_000).then(() => "still running")]);
    expect(code, child.stderr().slice(-4000)).to.equal(0);
    expect(child.lines).to.deep.equal(["leading", "following", "closed"]);
    expect(await leaseCount(etcd!.endpoint)).to.equal(0);
  });

  it("steps down before the TTL while etcd is down, and one leads again after a restart", async () => {
    const leaseSeconds = 3;
    const all = { a: candidate("a", leaseSeconds), b: candidate("b", leaseSeconds) };
    const steppedDown: Record<string, number> = {};
    for (const [name, election] of Object.entries(all)) {
      election.onChange((leading) => {
        if (!leading) steppedDown[name] ??= Date.now();
      });
    }
    const leader = await oneLeader(all);
    // Let a renewal or two happen, so the kill falls between renewals.
    await sleep(1_300);
    const killedAt = Date.now();
    await etcd!.kill();
    await waitFor("the leader to step down", async () => steppedDown[leader], 10_000);
    const downAfterMs = steppedDown[leader] - killedAt;
    expect(downAfterMs).to.be.below(leaseSeconds * 1000);
    expect(Object.values(all).some((e) => e.isLeader())).to.equal(false);
    // Stay down past the TTL: nobody may lead meanwhile.
    const leadersWhileDown: string[] = [];
    const until = killedAt + (leaseSeconds + 1) * 1000;
    while (Date.now() < until) {
      leadersWhileDown.push(...sampler.leaders());
      await sleep(50);
    }
    expect(leadersWhileDown).to.deep.equal([]);
    await etcd!.restart();
    const restartedAt = Date.now();
    await oneLeader(all);
    // The old leader's lease (restored by etcd) was revoked rather than left to expire.
    expect(Date.now() - restartedAt).to.be.below(leaseSeconds * 1000);
    await sleep(2_000);
    await oneLeader(all);
    expectNoDoubleLeader();
  });
});

/** `etcdctl lease list`: how many leases etcd holds. */
async function leaseCount(endpoint: string): Promise<number> {
  const { stdout } = await run("etcdctl", ["--endpoints", endpoint, "lease", "list"], {
    timeoutMs: 10_000,
  });
  const match = /found (\d+) leases/.exec(stdout);
  if (!match) throw new Error(`unexpected etcdctl lease list output: ${stdout}`);
  return Number(match[1]);
}

/** Streams etcd has open, from its gRPC server metrics (started minus handled). */
async function openStreams(endpoint: string): Promise<{ keepAlive: number; watch: number }> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const count = (metric: string, service: string, method: string) =>
    text
      .split("\n")
      .filter(
        (l) =>
          l.startsWith(`${metric}{`) &&
          l.includes(`grpc_service="${service}"`) &&
          l.includes(`grpc_method="${method}"`),
      )
      .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
  const open = (service: string, method: string) =>
    count("grpc_server_started_total", service, method) -
    count("grpc_server_handled_total", service, method);
  return {
    keepAlive: open("etcdserverpb.Lease", "LeaseKeepAlive"),
    watch: open("etcdserverpb.Watch", "Watch"),
  };
}
