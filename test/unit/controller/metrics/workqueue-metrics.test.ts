import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import { WorkQueue } from "../../../../controller/client/work-queue.js";
import { WorkQueueMetrics } from "../../../../controller/controllers/workqueue-metrics.js";
import { bucketBounds, sampleValue } from "../../../support/metrics-text.js";
import { promtoolFindings, requirePromtool } from "../../../support/promtool.js";

const settle = () => new Promise((r) => setImmediate(r));

/** A latch the test opens: a work item that waits on it stays "running". */
function latch() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe("workqueue_* metrics (client-go's names, fed by the controllers' work queue)", () => {
  let clock: number;
  let registry: ReturnType<typeof createMetricsRegistry>;
  let metrics: WorkQueueMetrics;
  const text = () => registry.metrics();
  const value = async (name: string, queue = "replicaset") =>
    sampleValue(await text(), name, { name: queue });

  beforeEach(() => {
    clock = 1_000_000;
    registry = createMetricsRegistry({ processMetrics: false });
    metrics = new WorkQueueMetrics(registry, () => clock);
  });

  it("counts an add per key that starts waiting, its depth, and how long it waited and ran", async () => {
    const ready = latch();
    const work = latch();
    const q = new WorkQueue(
      "replicaset",
      () => work.opened,
      silentLogger(),
      4,
      ready.opened,
      metrics,
    );
    q.add("ns/a");
    q.add("ns/a"); // already waiting: not another add
    q.add("ns/b");
    expect(await value("workqueue_adds_total")).to.equal(2);
    expect(await value("workqueue_depth")).to.equal(2);

    clock += 2000;
    ready.open();
    await settle();
    expect(await value("workqueue_depth")).to.equal(0);
    expect(await value("workqueue_queue_duration_seconds_count")).to.equal(2);
    expect(await value("workqueue_queue_duration_seconds_sum")).to.equal(4);

    clock += 500;
    q.add("ns/a"); // while running: waits again, and counts
    expect(await value("workqueue_adds_total")).to.equal(3);
    expect(await value("workqueue_depth")).to.equal(1);
    work.open();
    await q.idle();
    expect(await value("workqueue_work_duration_seconds_count")).to.equal(3);
    expect(await value("workqueue_work_duration_seconds_sum")).to.equal(1);
    expect(await value("workqueue_depth")).to.equal(0);
    q.stop();
  });

  it("reports running work as unfinished seconds and the longest runner, until it is done", async () => {
    const work = latch();
    const q = new WorkQueue("deployment", () => work.opened, silentLogger(), 4, undefined, metrics);
    q.add("ns/a");
    await settle();
    clock += 1000;
    q.add("ns/b");
    await settle();
    clock += 3000;
    expect(await value("workqueue_unfinished_work_seconds", "deployment")).to.equal(7);
    expect(await value("workqueue_longest_running_processor_seconds", "deployment")).to.equal(4);
    work.open();
    await q.idle();
    expect(await value("workqueue_unfinished_work_seconds", "deployment")).to.equal(0);
    expect(await value("workqueue_longest_running_processor_seconds", "deployment")).to.equal(0);
    expect(await value("workqueue_work_duration_seconds_sum", "deployment")).to.equal(7);
    q.stop();
  });

  it("counts delayed re-adds (a failed item's backoff) as retries", async () => {
    let attempts = 0;
    const q = new WorkQueue(
      "garbage_collector_attempt_to_delete",
      async () => {
        if (++attempts < 3) throw new Error("not yet");
      },
      silentLogger(),
      2,
      undefined,
      metrics,
    );
    q.add("k");
    const deadline = Date.now() + 2000;
    while (attempts < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await q.idle();
    expect(await value("workqueue_retries_total", "garbage_collector_attempt_to_delete")).to.equal(
      2,
    );
    expect(await value("workqueue_adds_total", "garbage_collector_attempt_to_delete")).to.equal(3);
    q.stop();
  });

  it("reports a stopped queue's depth as 0 and counts on in the next queue of that name", async () => {
    const never = new Promise<void>(() => {});
    const first = new WorkQueue("replicaset", async () => {}, silentLogger(), 4, never, metrics);
    first.add("ns/a");
    first.add("ns/b");
    expect(await value("workqueue_depth")).to.equal(2);
    first.stop();
    expect(await value("workqueue_depth")).to.equal(0);
    const second = new WorkQueue("replicaset", async () => {}, silentLogger(), 4, never, metrics);
    second.add("ns/c");
    expect(await value("workqueue_depth")).to.equal(1);
    expect(await value("workqueue_adds_total")).to.equal(3);
    second.stop();
  });

  it("uses client-go's buckets (1µs to 1000s) and passes promtool check metrics", async function () {
    const q = new WorkQueue("replicaset", async () => {}, silentLogger(), 4, undefined, metrics);
    q.add("ns/a");
    await q.idle();
    const exposition = await text();
    expect(bucketBounds(exposition, "workqueue_queue_duration_seconds")).to.deep.equal([
      "0.000001",
      "0.00001",
      "0.0001",
      "0.001",
      "0.01",
      "0.1",
      "1",
      "10",
      "100",
      "1000",
      "+Inf",
    ]);
    expect(exposition).to.include("# TYPE workqueue_depth gauge");
    expect(exposition).to.include("# TYPE workqueue_retries_total counter");
    q.stop();
    requirePromtool(this);
    expect(await promtoolFindings(exposition)).to.equal("");
  });
});
