import { existsSync } from "node:fs";
import type { RunResult } from "../../../lib/exec.js";
import { runTool, type ToolOptions } from "./tool.js";

/** Runs `file args` inside the network namespace at `netnsPath` (one nsenter spawn). */
export function execInNetns(
  what: string,
  netnsPath: string,
  file: string,
  args: string[],
  options: Omit<ToolOptions, "netns"> = {},
): Promise<RunResult> {
  return runTool(what, file, args, { ...options, netns: netnsPath });
}

/** Whether a netns path still names a namespace (DEL must tolerate a vanished one). */
export function netnsExists(netnsPath: string): boolean {
  return netnsPath !== "" && existsSync(netnsPath);
}
