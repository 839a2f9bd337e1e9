import type { Attachment, CniResult, NetConfList, PluginConf, PluginInput } from "../spec/types.js";

export interface StdinExtras {
  /** The caller's capability values; only those the plugin declares are passed on. */
  capabilities?: Record<string, unknown>;
  prevResult?: CniResult;
  validAttachments?: Attachment[];
}

/**
 * One plugin's stdin: its list entry with the selected version and the list's name, its declared
 * `capabilities` replaced by the matching `runtimeConfig` values (keys reserved for the runner
 * are never taken from the file).
 */
export function pluginStdin(
  list: NetConfList,
  plugin: PluginConf,
  version: string,
  extras: StdinExtras = {},
): PluginInput {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plugin)) {
    if (key === "capabilities" || key === "runtimeConfig" || key === "prevResult") continue;
    if (key.startsWith("cni.dev/")) continue;
    input[key] = value;
  }
  input.cniVersion = version;
  input.name = list.name;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, declared] of Object.entries(plugin.capabilities ?? {})) {
    const value = extras.capabilities?.[capability];
    if (declared === true && value !== undefined) runtimeConfig[capability] = value;
  }
  if (Object.keys(runtimeConfig).length > 0) input.runtimeConfig = runtimeConfig;
  if (extras.prevResult) input.prevResult = extras.prevResult;
  if (extras.validAttachments) input["cni.dev/valid-attachments"] = extras.validAttachments;
  return input as PluginInput;
}
