import { isBerthError } from "../../../lib/errors.js";
import type { Container } from "../../kube/types.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { expandVars } from "../spec/expand-vars.js";
import type { ProbeOutcome } from "./probe-outcome.js";

/** kubelet keeps this much of an exec probe's output for its event. */
const maxOutputBytes = 10 * 1024;
const grpcDeadlineExceeded = 4;

/**
 * kubelet's exec probe: the command (its $(VAR)s expanded from the container's literal env
 * values only — no env from sources) runs in the container through ExecSync. Exit 0 succeeds;
 * another exit fails with the output (stdout then stderr); a timeout fails (kubelet ≥ 1.20).
 * Any other runtime error throws: the probe errored.
 */
export async function execProbe(
  runtime: Pick<KubeletRuntime, "execSync">,
  container: Container,
  containerId: string,
  command: string[],
  timeoutSeconds: number,
): Promise<ProbeOutcome> {
  const env = new Map((container.env ?? []).map((e) => [e.name, e.value ?? ""]));
  const cmd = command.map((arg) => expandVars(arg, (name) => env.get(name)));
  try {
    const res = await runtime.execSync({ container_id: containerId, cmd, timeout: timeoutSeconds });
    const output = Buffer.concat([res.stdout, res.stderr]).subarray(0, maxOutputBytes).toString();
    return { status: res.exit_code === 0 ? "success" : "failure", output };
  } catch (err) {
    if (isTimeout(err))
      return { status: "failure", output: `command "${cmd.join(" ")}" timed out` };
    throw err;
  }
}

export function isTimeout(err: unknown): boolean {
  if (isBerthError(err, "DeadlineExceeded")) return true;
  return (err as { code?: unknown } | null)?.code === grpcDeadlineExceeded;
}
