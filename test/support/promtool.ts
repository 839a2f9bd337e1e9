import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

/** `promtool check metrics` on a text exposition: its exit code and what it printed. */
export function promtoolCheckMetrics(
  exposition: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end(exposition);
  });
}

/** promtool's findings on an exposition: "" when it is clean. */
export async function promtoolFindings(exposition: string): Promise<string> {
  const { code, output } = await promtoolCheckMetrics(exposition);
  return code === 0 ? output.trim() : `exit ${code}: ${output}`;
}

/** Skips a unit test where promtool is not installed (`make test` installs it). */
export function requirePromtool(ctx: Mocha.Context): void {
  if (!existsSync("/usr/bin/promtool")) ctx.skip();
}
