import { runTool } from "./tool.js";

export interface IpBatchOptions {
  /** Run inside this network namespace path. */
  netns?: string;
  /** Pass -json and parse each command's output line. */
  json?: boolean;
  /** Pass -details (batch lines cannot carry global options). */
  details?: boolean;
}

/**
 * Runs many `ip` commands in one process (`ip -batch -`). Without `force` the first failing line
 * stops the batch and the error names it ("Command failed -:<line>"). Each element of `commands`
 * is one line without the leading `ip`, e.g. "link set dev eth0 up".
 */
export async function ipBatch(
  what: string,
  commands: string[],
  options: IpBatchOptions = {},
): Promise<unknown[]> {
  if (commands.length === 0) return [];
  const args = [
    ...(options.json ? ["-json"] : []),
    ...(options.details ? ["-details"] : []),
    "-batch",
    "-",
  ];
  const { stdout } = await runTool(what, "ip", args, {
    input: `${commands.join("\n")}\n`,
    netns: options.netns,
  });
  if (!options.json) return [];
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** Runs one `ip -json` query and returns its parsed array. */
export async function ipJson(what: string, args: string[], netns?: string): Promise<unknown[]> {
  const { stdout } = await runTool(what, "ip", ["-json", ...args], { netns });
  return stdout.trim() === "" ? [] : (JSON.parse(stdout) as unknown[]);
}
