import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { isTimeout } from "../prober/exec-probe.js";

/**
 * Runs a hook's command in the container, as kubelet's RunInContainer: `timeoutSeconds` 0 means
 * no limit. Resolves with the output (stdout then stderr); rejects with it and kubelet's error
 * ("command 'sh -c exit 3' exited with 3: …") on a non-zero exit, a timeout or a runtime error.
 */
export async function execHook(
  runtime: Pick<KubeletRuntime, "execSync">,
  containerId: string,
  cmd: string[],
  timeoutSeconds: number,
): Promise<{ output: string; error?: string }> {
  try {
    const res = await runtime.execSync({ container_id: containerId, cmd, timeout: timeoutSeconds });
    const output = Buffer.concat([res.stdout, res.stderr]).toString();
    if (res.exit_code === 0) return { output };
    const stderr = res.stderr.toString();
    return { output, error: `command '${cmd.join(" ")}' exited with ${res.exit_code}: ${stderr}` };
  } catch (err) {
    if (isTimeout(err)) return { output: "", error: `command "${cmd.join(" ")}" timed out` };
    return { output: "", error: err instanceof Error ? err.message : String(err) };
  }
}
