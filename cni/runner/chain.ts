import type { CniResult, NetConfList } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";
import { asError, combineErrors } from "./aggregate-error.js";
import type { CallEnv, PluginCaller } from "./plugin-caller.js";
import { pluginStdin } from "./plugin-stdin.js";
import { atLeast } from "./spec-version.js";

/** One attachment's list, version and call parameters. */
export interface ChainCall {
  list: NetConfList;
  version: string;
  containerId: string;
  ifname: string;
  netns: string;
  args?: Record<string, string>;
  capabilities?: Record<string, unknown>;
}

const envOf = (call: ChainCall, command: CallEnv["command"]): CallEnv => ({
  command,
  containerId: call.containerId,
  ifname: call.ifname,
  netns: call.netns,
  args: withIgnoreUnknown(call.args),
});

/**
 * CNI_ARGS with `IgnoreUnknown=1` first, as CRI runtimes send them: the reference plugins reject
 * keys they do not know (K8S_POD_NAME…) without it.
 */
export function withIgnoreUnknown(
  args?: Record<string, string>,
): Record<string, string> | undefined {
  if (!args || Object.keys(args).length === 0 || "IgnoreUnknown" in args) return args;
  return { IgnoreUnknown: "1", ...args };
}

/** ADD in list order, each plugin getting the previous one's result; stops at the first error. */
export async function addChain(caller: PluginCaller, call: ChainCall): Promise<CniResult> {
  let result: CniResult | undefined;
  for (const plugin of call.list.plugins) {
    const stdin = pluginStdin(call.list, plugin, call.version, {
      capabilities: call.capabilities,
      prevResult: result,
    });
    result = asResult(await caller.run(plugin.type, stdin, envOf(call, "ADD")), plugin.type);
  }
  return result as CniResult;
}

/**
 * DEL in reverse order, every plugin getting the cached result (spec ≥ 0.4.0). Runs every plugin
 * even past a failure, so one broken plugin does not leak the others' state; then throws.
 */
export async function delChain(
  caller: PluginCaller,
  call: ChainCall,
  cached: CniResult | undefined,
): Promise<void> {
  const prevResult = atLeast(call.version, "0.4.0") ? cached : undefined;
  const errors: Error[] = [];
  for (const plugin of [...call.list.plugins].reverse()) {
    const stdin = pluginStdin(call.list, plugin, call.version, {
      capabilities: call.capabilities,
      prevResult,
    });
    try {
      await caller.run(plugin.type, stdin, envOf(call, "DEL"));
    } catch (err) {
      errors.push(asError(err));
    }
  }
  const error = combineErrors(`DEL of network "${call.list.name}"`, errors);
  if (error) throw error;
}

/** CHECK in list order with the cached result; stops at the first failure. */
export async function checkChain(
  caller: PluginCaller,
  call: ChainCall,
  cached: CniResult,
): Promise<void> {
  if (!atLeast(call.version, "0.4.0")) {
    throw new CniError(
      cniCode.incompatibleVersion,
      "CHECK needs cniVersion 0.4.0 or later",
      `network "${call.list.name}" runs ${call.version}`,
    );
  }
  for (const plugin of call.list.plugins) {
    const stdin = pluginStdin(call.list, plugin, call.version, {
      capabilities: call.capabilities,
      prevResult: cached,
    });
    await caller.run(plugin.type, stdin, envOf(call, "CHECK"));
  }
}

function asResult(out: unknown, plugin: string): CniResult {
  const result = out as Partial<CniResult> | undefined;
  const ok =
    typeof result === "object" &&
    result !== null &&
    typeof result.cniVersion === "string" &&
    (result.interfaces === undefined || Array.isArray(result.interfaces)) &&
    (result.ips === undefined || Array.isArray(result.ips)) &&
    (result.ips ?? []).every((ip) => typeof ip?.address === "string");
  if (!ok) {
    throw new CniError(
      cniCode.decode,
      "ADD did not print a result",
      JSON.stringify(out)?.slice(0, 300) ?? "(no output)",
      plugin,
    );
  }
  return result as CniResult;
}
