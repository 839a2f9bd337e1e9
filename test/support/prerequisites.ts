import { execFileSync } from "node:child_process";

/**
 * Integration tests need root and real tools. Without them they skip with one clear line, except
 * under CI=true, where a missing prerequisite is a failure: a CI run must never pass by skipping.
 */
export function requireIntegration(ctx: Mocha.Context, tools: string[] = []): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root");
  for (const tool of tools) if (!hasTool(tool)) missing.push(tool);
  if (missing.length === 0) return;
  const why = `integration prerequisites missing: ${missing.join(", ")}`;
  if (process.env.CI === "true") throw new Error(`${why} (CI=true: failing instead of skipping)`);
  console.log(`  skipped: ${why}`);
  ctx.skip();
}

/** True when `tool` is on the PATH. */
export function hasTool(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
