import { expect } from "chai";
import { existsSync } from "node:fs";
import { createMetricsRegistry } from "../../../lib/metrics.js";
import { promtoolCheckMetrics } from "../../support/promtool.js";

describe("the per-process metrics registry", () => {
  it("exposes process metrics that pass promtool check metrics", async function () {
    if (!existsSync("/usr/bin/promtool")) return this.skip();
    const text = await createMetricsRegistry().metrics();
    expect(text).to.include("process_cpu_seconds_total");
    expect(text).to.include("# TYPE nodejs_active_handles gauge");
    expect(await promtoolCheckMetrics(text)).to.deep.equal({ code: 0, output: "" });
  });

  it("registers nothing without process metrics, so instances never collide", async () => {
    expect(await createMetricsRegistry({ processMetrics: false }).metrics()).to.equal("\n");
  });
});
