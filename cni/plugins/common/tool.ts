import { run, type RunResult } from "../../../lib/exec.js";
import { CniError } from "../../spec/errors.js";

/** CNI code for a failure of the host's own tooling (ip, iptables, flock): plugin-specific range. */
export const toolFailureCode = 100;

export interface ToolOptions {
  input?: string;
  /** Exit codes that count as success (default [0]). */
  okCodes?: number[];
  timeoutMs?: number;
  /** Run inside this network namespace (a path such as /run/netns/x) through nsenter. */
  netns?: string;
}

/**
 * Runs one host tool (no shell) and returns its output. A failure becomes a CniError whose msg
 * says what was attempted (`what`) and whose details carry the tool's stderr.
 */
export async function runTool(
  what: string,
  file: string,
  args: string[],
  options: ToolOptions = {},
): Promise<RunResult> {
  const [cmd, cmdArgs] = options.netns
    ? ["nsenter", [`--net=${options.netns}`, "--", file, ...args]]
    : [file, args];
  try {
    return await run(cmd, cmdArgs, {
      input: options.input,
      okCodes: options.okCodes,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
  } catch (err) {
    throw new CniError(toolFailureCode, what, err instanceof Error ? err.message : String(err));
  }
}
