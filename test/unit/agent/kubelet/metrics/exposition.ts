import { existsSync } from "node:fs";
import type { Registry } from "prom-client";
import { bucketBounds as bounds, sampleValue } from "../../../../support/metrics-text.js";
import { promtoolCheckMetrics } from "../../../../support/promtool.js";

/** One sample's value in the registry's exposition (undefined: no such series). */
export async function sample(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  return sampleValue(await registry.metrics(), name, labels);
}

export async function bucketBounds(registry: Registry, name: string): Promise<string[]> {
  return bounds(await registry.metrics(), name);
}

/** `promtool check metrics` on the registry's exposition; skips the test without promtool. */
export async function expectPromtoolClean(ctx: Mocha.Context, registry: Registry): Promise<void> {
  if (!existsSync("/usr/bin/promtool")) ctx.skip();
  const { code, output } = await promtoolCheckMetrics(await registry.metrics());
  if (code !== 0 || output.trim() !== "") {
    throw new Error(`promtool check metrics failed (exit ${code}):\n${output}`);
  }
}
