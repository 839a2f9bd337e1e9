import { spawn } from "node:child_process";

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real kubectl (the machine's dispatcher, which picks the client by the server's
 * minor) with a kubeconfig and its own discovery cache dir, optionally feeding stdin.
 */
export function kubectl(
  args: string[],
  options: { kubeconfig: string; cacheDir: string; input?: string; timeoutMs?: number },
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "kubectl",
      ["--kubeconfig", options.kubeconfig, "--cache-dir", options.cacheDir, ...args],
      { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, KUBECONFIG: options.kubeconfig } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** kubectl that must succeed: its stdout, or an error carrying stderr. */
export async function kubectlOk(
  args: string[],
  options: { kubeconfig: string; cacheDir: string; input?: string },
): Promise<string> {
  const r = await kubectl(args, options);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}
