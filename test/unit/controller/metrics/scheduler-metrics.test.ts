import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import { InformerSet } from "../../../../controller/client/informer-set.js";
import { Scheduler } from "../../../../controller/scheduler/scheduler.js";
import { SchedulerMetrics } from "../../../../controller/scheduler/scheduler-metrics.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";
import { bucketBounds, sampleValue } from "../../../support/metrics-text.js";
import { promtoolFindings, requirePromtool } from "../../../support/promtool.js";

const node = (name: string, cpu: string) => ({
  metadata: { name },
  status: {
    capacity: { cpu, memory: "4Gi", pods: "110" },
    allocatable: { cpu, memory: "4Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True" }],
  },
});

const pod = (name: string, cpu: string) => ({
  metadata: { name },
  spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu } } }] },
});

describe("scheduler_* metrics (kube-scheduler's names, from the default scheduler)", () => {
  let api: MemoryApi;
  let informers: InformerSet;
  let scheduler: Scheduler;
  let registry: ReturnType<typeof createMetricsRegistry>;
  const profile = "default-scheduler";
  const value = async (name: string, labels: Record<string, string>) =>
    sampleValue(await registry.metrics(), name, labels);
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    await api.request("POST", "/api/v1/nodes", node("n1", "1"));
    registry = createMetricsRegistry({ processMetrics: false });
    informers = new InformerSet(api.deps.resources, api.deps.registry, silentLogger());
    scheduler = new Scheduler(api.deps, informers, silentLogger(), new SchedulerMetrics(registry));
    await informers.start();
  });
  afterEach(async () => {
    scheduler.stop();
    informers.stop();
    await api.close();
  });

  it("counts scheduled and unschedulable attempts and reports the pod left waiting", async () => {
    for (const name of ["a", "b", "c"]) {
      const res = await api.request("POST", "/api/v1/namespaces/default/pods", pod(name, "400m"));
      expect(res.status, res.text).to.equal(201);
    }
    const attempts = (result: string) =>
      value("scheduler_schedule_attempts_total", { result, profile });
    await until("two pods bound and one unschedulable attempt", async () => {
      return (await attempts("scheduled")) === 2 && ((await attempts("unschedulable")) ?? 0) >= 1;
    });
    expect(await attempts("error")).to.equal(undefined);
    const latency = (result: string) =>
      value("scheduler_scheduling_attempt_duration_seconds_count", { result, profile });
    expect(await latency("scheduled")).to.equal(2);
    expect(await latency("unschedulable")).to.equal(await attempts("unschedulable"));
    expect(await value("scheduler_pending_pods", { queue: "unschedulable" })).to.equal(1);
    expect(await value("scheduler_pending_pods", { queue: "active" })).to.equal(0);
    expect(await value("scheduler_pending_pods", { queue: "backoff" })).to.equal(0);
    expect(await value("scheduler_pending_pods", { queue: "gated" })).to.equal(0);
    expect(
      await value("scheduler_pod_scheduling_sli_duration_seconds_count", { attempts: "1" }),
    ).to.equal(2);
    expect(await value("scheduler_pod_scheduling_attempts_count", {})).to.equal(2);
  });

  it("counts the attempts a waiting pod took once a node makes room for it", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("big", "2"));
    await until("an unschedulable attempt", async () =>
      Boolean(
        await value("scheduler_schedule_attempts_total", { result: "unschedulable", profile }),
      ),
    );
    await api.request("POST", "/api/v1/nodes", node("n2", "4"));
    await until("the pod bound", async () =>
      Boolean(await value("scheduler_schedule_attempts_total", { result: "scheduled", profile })),
    );
    const text = await registry.metrics();
    const failed = sampleValue(text, "scheduler_schedule_attempts_total", {
      result: "unschedulable",
      profile,
    })!;
    const label = String(failed + 1);
    expect(
      sampleValue(text, "scheduler_pod_scheduling_sli_duration_seconds_count", { attempts: label }),
    ).to.equal(1);
    expect(sampleValue(text, "scheduler_pod_scheduling_attempts_sum", {})).to.equal(failed + 1);
    expect(sampleValue(text, "scheduler_pending_pods", { queue: "unschedulable" })).to.equal(0);
  });

  it("reports no pending pods once the scheduler stops (leadership lost)", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("big", "2"));
    await until(
      "the pod waiting",
      async () => (await value("scheduler_pending_pods", { queue: "unschedulable" })) === 1,
    );
    scheduler.stop();
    expect(await value("scheduler_pending_pods", { queue: "unschedulable" })).to.equal(0);
  });

  it("uses kube-scheduler's buckets and passes promtool check metrics", async function () {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("a", "100m"));
    await until("the pod bound", async () =>
      Boolean(await value("scheduler_schedule_attempts_total", { result: "scheduled", profile })),
    );
    const text = await registry.metrics();
    expect(bucketBounds(text, "scheduler_scheduling_attempt_duration_seconds")).to.deep.equal([
      ...[0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512].map(String),
      ...["1.024", "2.048", "4.096", "8.192", "16.384", "+Inf"],
    ]);
    const sli = bucketBounds(text, "scheduler_pod_scheduling_sli_duration_seconds");
    expect(sli).to.have.length(21);
    expect([sli[0], sli[19]]).to.deep.equal(["0.01", "5242.88"]);
    expect(bucketBounds(text, "scheduler_pod_scheduling_attempts")).to.deep.equal([
      "1",
      "2",
      "4",
      "8",
      "16",
      "+Inf",
    ]);
    requirePromtool(this);
    expect(await promtoolFindings(text)).to.equal("");
  });
});
