import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { CniCommand } from "../spec/types.js";
import { CniError, cniCode, type CniErrorBody } from "../spec/errors.js";

/** The per-call environment of a plugin (SPEC.md, "Parameters"). */
export interface PluginEnv {
  command: CniCommand;
  containerId?: string;
  netns?: string;
  ifname?: string;
  /** CNI_ARGS as key/value pairs, joined `K=V;K=V`. */
  args?: Record<string, string>;
  /** Plugin search path (CNI_PATH). */
  path: string[];
}

/** The first executable named `type` on the search path. */
export function findPlugin(type: string, searchPath: string[]): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(type)) {
    throw new CniError(cniCode.invalidConfig, "invalid plugin type", JSON.stringify(type));
  }
  for (const dir of searchPath) {
    const candidate = path.join(dir, type);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this dir
    }
  }
  throw new CniError(
    cniCode.invalidConfig,
    `plugin "${type}" not found`,
    `searched ${searchPath.join(":") || "(empty path)"}`,
    type,
  );
}

export function envFor(env: PluginEnv): Record<string, string> {
  const out: Record<string, string> = {
    CNI_COMMAND: env.command,
    CNI_PATH: env.path.join(":"),
  };
  if (env.containerId !== undefined) out.CNI_CONTAINERID = env.containerId;
  if (env.netns !== undefined) out.CNI_NETNS = env.netns;
  if (env.ifname !== undefined) out.CNI_IFNAME = env.ifname;
  if (env.args && Object.keys(env.args).length > 0) {
    out.CNI_ARGS = Object.entries(env.args)
      .map(([k, v]) => `${k}=${v}`)
      .join(";");
  }
  return out;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Extra process environment (PATH for the plugin's own tools); never the CNI_ keys. */
  baseEnv?: NodeJS.ProcessEnv;
}

/**
 * Runs one plugin binary: config on stdin, JSON on stdout. A non-zero exit becomes the CniError
 * the plugin printed (or one built from its stderr); an empty stdout on success is undefined.
 */
export function execPlugin(
  binary: string,
  stdin: object,
  env: PluginEnv,
  options: ExecOptions = {},
): Promise<unknown> {
  const plugin = path.basename(binary);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], {
      env: { ...cleanEnv(options.baseEnv ?? process.env), ...envFor(env) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new CniError(cniCode.tryAgainLater, `timed out after ${timeoutMs} ms`, "", plugin));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new CniError(cniCode.io, "cannot run the plugin", e.message, plugin));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8").trim();
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0) {
        if (stdout === "") return resolve(undefined);
        try {
          return resolve(JSON.parse(stdout));
        } catch {
          return reject(
            new CniError(cniCode.decode, "output is not JSON", stdout.slice(0, 500), plugin),
          );
        }
      }
      reject(pluginFailure(plugin, stdout, stderr, code, signal));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(stdin));
  });
}

function pluginFailure(
  plugin: string,
  stdout: string,
  stderr: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): CniError {
  try {
    const body = JSON.parse(stdout) as Partial<CniErrorBody>;
    if (typeof body.code === "number" && typeof body.msg === "string") {
      return new CniError(body.code, body.msg, body.details ?? "", plugin);
    }
  } catch {
    // not an error object: fall back on stderr
  }
  const how = signal ? `killed by ${signal}` : `exited ${code}`;
  return new CniError(cniCode.io, `failed (${how})`, (stderr || stdout).slice(0, 500), plugin);
}

function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !k.startsWith("CNI_")) out[k] = v;
  }
  return out;
}
