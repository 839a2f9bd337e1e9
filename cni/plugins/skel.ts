import type { Attachment, CniCommand, CniResult, PluginInput } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";

/** What a plugin is called with, validated per command. */
export interface PluginCall {
  command: CniCommand;
  input: PluginInput;
  containerId: string;
  netns: string;
  ifname: string;
  args: Record<string, string>;
  path: string[];
}

export interface Plugin {
  /** Spec versions this plugin speaks, oldest first. */
  supportedVersions: string[];
  add(call: PluginCall): Promise<CniResult>;
  del(call: PluginCall): Promise<void>;
  check(call: PluginCall): Promise<void>;
  /** Throws CniError 50/51 when ADDs cannot be served. */
  status?(call: PluginCall): Promise<void>;
  /** Removes leftovers of every attachment not in `valid`. */
  gc?(call: PluginCall, valid: Attachment[]): Promise<void>;
}

const commands: CniCommand[] = ["ADD", "DEL", "CHECK", "STATUS", "VERSION", "GC"];
const containerIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A plugin's environment, as the CNI_* variables carry it. */
export type PluginEnvVars = Partial<Record<string, string>>;

/**
 * A plugin's main: reads the environment and stdin, dispatches the command, prints the result
 * (or the error object) on stdout and exits 0 (or 1). Logs go to stderr only.
 */
export async function runPlugin(plugin: Plugin): Promise<void> {
  let input: PluginInput | undefined;
  try {
    input = parseInput(await readStdin());
    const output = await dispatch(plugin, process.env, input);
    if (output !== undefined) write(output);
  } catch (err) {
    write(asCniError(err).body(versionFor(plugin, input)));
    process.exitCode = 1;
  }
}

/**
 * One invocation, as the spec defines it: what the plugin would print on success (undefined for
 * commands without output), or a thrown CniError. The runner calls this directly for Berth's own
 * plugins, with the same environment and input the executable would get.
 */
export async function dispatch(
  plugin: Plugin,
  env: PluginEnvVars,
  input: PluginInput,
): Promise<object | undefined> {
  const command = env.CNI_COMMAND as CniCommand;
  if (!commands.includes(command)) {
    throw new CniError(cniCode.invalidEnv, "unknown CNI_COMMAND", String(command ?? ""));
  }
  if (command === "VERSION") {
    return { cniVersion: versionFor(plugin, input), supportedVersions: plugin.supportedVersions };
  }
  const version = input.cniVersion;
  if (!plugin.supportedVersions.includes(version)) {
    throw new CniError(
      cniCode.incompatibleVersion,
      "incompatible CNI versions",
      `config is ${version}, plugin supports ${plugin.supportedVersions.join(", ")}`,
    );
  }
  const call = callFrom(command, input, env);
  switch (command) {
    case "ADD":
      return { ...(await plugin.add(call)), cniVersion: version };
    case "DEL":
      await plugin.del(call);
      return undefined;
    case "CHECK":
      await plugin.check(call);
      return undefined;
    case "STATUS":
      await plugin.status?.(call);
      return undefined;
    case "GC":
      await plugin.gc?.(call, input["cni.dev/valid-attachments"] ?? []);
      return undefined;
  }
}

function versionFor(plugin: Plugin, input: PluginInput | undefined): string {
  return input?.cniVersion || plugin.supportedVersions[plugin.supportedVersions.length - 1];
}

export function asCniError(err: unknown): CniError {
  return err instanceof CniError
    ? err
    : new CniError(100, err instanceof Error ? err.message : String(err));
}

function callFrom(command: CniCommand, input: PluginInput, env: PluginEnvVars): PluginCall {
  const needsAttachment = command === "ADD" || command === "DEL" || command === "CHECK";
  const containerId = env.CNI_CONTAINERID ?? "";
  const ifname = env.CNI_IFNAME ?? "";
  const netns = env.CNI_NETNS ?? "";
  if (needsAttachment) {
    if (!containerIdPattern.test(containerId)) {
      throw new CniError(
        cniCode.invalidEnv,
        "invalid CNI_CONTAINERID",
        JSON.stringify(containerId),
      );
    }
    if (!/^[^/\s:]{1,15}$/.test(ifname) || ifname === "." || ifname === "..") {
      throw new CniError(cniCode.invalidEnv, "invalid CNI_IFNAME", JSON.stringify(ifname));
    }
    if (command !== "DEL" && netns === "") {
      throw new CniError(cniCode.invalidEnv, "CNI_NETNS must be set", command);
    }
  }
  return {
    command,
    input,
    containerId,
    netns,
    ifname,
    args: parseArgs(env.CNI_ARGS ?? ""),
    path: (env.CNI_PATH ?? "").split(":").filter(Boolean),
  };
}

export function parseArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of text.split(";").filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CniError(cniCode.invalidEnv, "invalid CNI_ARGS pair", pair);
    args[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return args;
}

export function parseInput(text: string): PluginInput {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new CniError(cniCode.decode, "config is not JSON", (err as Error).message);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new CniError(cniCode.decode, "config is not a JSON object");
  }
  const conf = input as PluginInput;
  if (typeof conf.cniVersion !== "string") conf.cniVersion = "";
  return conf;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (b: Buffer) => chunks.push(b));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function write(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
