import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { envFor, execPlugin, type ExecOptions, type PluginEnv } from "../exec/exec-plugin.js";
import { CniError } from "../spec/errors.js";
import { bridgePlugin } from "./bridge/plugin.js";
import { hostLocalPlugin } from "./host-local/plugin.js";
import { portmapPlugin } from "./portmap/portmap.js";
import { asCniError, dispatch, type Plugin } from "./skel.js";

/** This installation's plugin executables (dist/cni/plugins → cni/bin). */
export const builtinPluginDir = fileURLToPath(new URL("../../../cni/bin", import.meta.url));

// A function, not a constant: the plugins import this module too (bridge → IPAM), and a
// constant would read their exports before they are evaluated.
const builtins = (): Record<string, Plugin> => ({
  "berth-bridge": bridgePlugin,
  "berth-host-local": hostLocalPlugin,
  "berth-portmap": portmapPlugin,
});

/** Berth's own plugin behind `binary`, when the binary found on the path is this installation's. */
export function builtinPluginAt(binary: string): Plugin | undefined {
  const name = path.basename(binary);
  const plugin = builtins()[name];
  if (!plugin) return undefined;
  try {
    return realpathSync(binary) === realpathSync(path.join(builtinPluginDir, name))
      ? plugin
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one of Berth's plugins in this process, exactly as its executable would run: the same
 * environment and stdin (copied, so nothing is shared), the same output or CniError. It saves
 * a Node start (about 100 ms) per call.
 */
export async function runBuiltin(
  plugin: Plugin,
  name: string,
  stdin: object,
  env: PluginEnv,
): Promise<unknown> {
  try {
    return await dispatch(plugin, envFor(env), JSON.parse(JSON.stringify(stdin)));
  } catch (err) {
    const e = asCniError(err);
    throw e.plugin ? e : new CniError(e.code, e.msg, e.details, name);
  }
}

/** Runs the plugin at `binary`: Berth's own in this process, any other as an executable. */
export function callPlugin(
  binary: string,
  stdin: object,
  env: PluginEnv,
  options: ExecOptions = {},
): Promise<unknown> {
  const builtin = builtinPluginAt(binary);
  if (builtin) return runBuiltin(builtin, path.basename(binary), stdin, env);
  return execPlugin(binary, stdin, env, options);
}
