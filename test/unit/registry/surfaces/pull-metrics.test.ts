import { expect } from "chai";
import { Registry } from "prom-client";
import { errorReason, imageSizeBucket, PullMetrics } from "../../../../agent/registry/metrics.js";
import type { PullProgress } from "../../../../agent/registry/registry-api.js";
import { notFound, unauthenticated } from "../../../../lib/errors.js";

const layer = (digest: string, received: number, total = 100): PullProgress => ({
  kind: "layer",
  digest,
  received,
  total,
});

/** The value of one sample line ("name{labels} value") in the exposition text, if present. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("pull metrics", () => {
  it("counts layer bytes once each, even when a retry reports a smaller total again", async () => {
    const registry = new Registry();
    const metrics = new PullMetrics(registry);
    const seen: PullProgress[] = [];
    await metrics.measure(
      async (onProgress) => {
        onProgress(layer("sha256:a", 40));
        onProgress(layer("sha256:a", 100));
        onProgress(layer("sha256:b", 30, 50));
        onProgress(layer("sha256:b", 10, 50)); // restarted from zero: nothing new yet
        onProgress(layer("sha256:b", 50, 50));
        return { size: 150 };
      },
      (p) => seen.push(p),
    );
    const text = await registry.metrics();
    expect(sample(text, "berth_image_pull_bytes_total")).to.equal(150);
    expect(seen).to.have.length(5);
  });

  it("observes the duration of successful pulls under Berth's and the kubelet's names", async () => {
    const registry = new Registry();
    const metrics = new PullMetrics(registry);
    await metrics.measure(async () => ({ size: 20 * 1024 * 1024 }));
    const text = await registry.metrics();
    expect(sample(text, "berth_image_pull_duration_seconds_count")).to.equal(1);
    expect(
      sample(text, 'kubelet_image_pull_duration_seconds_count{image_size_in_bytes="10MB-100MB"}'),
    ).to.equal(1);
    expect(sample(text, "berth_image_pull_errors_total")).to.equal(undefined);
  });

  it("counts failures by reason and rethrows them unchanged", async () => {
    const registry = new Registry();
    const metrics = new PullMetrics(registry);
    const failure = notFound("manifest unknown");
    const err = await metrics.measure(async () => Promise.reject(failure)).catch((e) => e);
    expect(err).to.equal(failure);
    await metrics.measure(async () => Promise.reject(unauthenticated("no"))).catch(() => {});
    await metrics.measure(async () => Promise.reject(new Error("boom"))).catch(() => {});
    const text = await registry.metrics();
    expect(sample(text, 'berth_image_pull_errors_total{reason="not_found"}')).to.equal(1);
    expect(sample(text, 'berth_image_pull_errors_total{reason="unauthenticated"}')).to.equal(1);
    expect(sample(text, 'berth_image_pull_errors_total{reason="internal"}')).to.equal(1);
    expect(sample(text, "berth_image_pull_duration_seconds_count")).to.equal(0);
  });

  it("registers nothing on the default registry, so two agents in one process do not collide", () => {
    const a = new Registry();
    const b = new Registry();
    new PullMetrics(a);
    expect(() => new PullMetrics(b)).not.to.throw();
  });

  it("labels image sizes with the kubelet's buckets", () => {
    expect(imageSizeBucket(0)).to.equal("N/A");
    expect(imageSizeBucket(5 * 1024 * 1024)).to.equal("0-10MB");
    expect(imageSizeBucket(10 * 1024 * 1024)).to.equal("0-10MB");
    expect(imageSizeBucket(10 * 1024 * 1024 + 1)).to.equal("10MB-100MB");
    expect(imageSizeBucket(200 * 1024 * 1024)).to.equal("100MB-500MB");
    expect(imageSizeBucket(200 * 1024 ** 3)).to.equal("GT100GB");
  });

  it("names reasons after the error kind in snake case", () => {
    expect(errorReason(notFound("x"))).to.equal("not_found");
    expect(errorReason(unauthenticated("x"))).to.equal("unauthenticated");
    expect(errorReason("weird")).to.equal("internal");
  });
});
