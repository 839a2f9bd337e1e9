import type { CniCommand } from "../spec/types.js";
import { findPlugin } from "../exec/exec-plugin.js";
import { callPlugin } from "../plugins/builtin.js";

export interface CallEnv {
  command: CniCommand;
  containerId?: string;
  netns?: string;
  ifname?: string;
  args?: Record<string, string>;
}

/**
 * Finds a plugin by type on the runner's search path and runs it with the runner's timeout;
 * Berth's own plugins of this installation run in this process (see callPlugin).
 */
export class PluginCaller {
  constructor(private readonly options: { binDirs: string[]; timeoutMs: number }) {}

  run(type: string, stdin: object, env: CallEnv): Promise<unknown> {
    const binary = findPlugin(type, this.options.binDirs);
    return callPlugin(
      binary,
      stdin,
      { ...env, path: this.options.binDirs },
      { timeoutMs: this.options.timeoutMs },
    );
  }

  /** Throws the "plugin X not found" CniError when the type is not on the search path. */
  locate(type: string): string {
    return findPlugin(type, this.options.binDirs);
  }
}
