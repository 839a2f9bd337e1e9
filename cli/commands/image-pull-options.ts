import { promises as fs } from "node:fs";
import type { Platform } from "../../agent/images/manifest.js";
import type { RegistryAuth } from "../../agent/registry/registry-api.js";
import { invalidArgument } from "../../lib/errors.js";

export interface PullFlags {
  root?: string;
  runDir?: string;
  criSocket?: string;
  platform?: string;
  username?: string;
  password?: string;
  authFile?: string;
  configDir: string;
}

export function parsePlatform(text: string): Platform {
  const parts = text.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw invalidArgument(`--platform: ${JSON.stringify(text)} is not os/arch[/variant]`, {
      field: "platform",
    });
  }
  const [os, architecture, variant] = parts;
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export async function pullCredentials(
  flags: PullFlags,
  host: string,
): Promise<RegistryAuth | undefined> {
  if ((flags.username === undefined) !== (flags.password === undefined)) {
    throw invalidArgument("--username and --password go together", { field: "username" });
  }
  if (flags.username !== undefined && flags.authFile !== undefined) {
    throw invalidArgument("--auth-file or --username/--password, not both", { field: "auth-file" });
  }
  if (flags.username !== undefined) return { username: flags.username, password: flags.password };
  if (flags.authFile === undefined) return undefined;
  return authFromFile(flags.authFile, host);
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** The entry for `host` in a Docker config.json; keys may be URLs ("https://host/v1/"). */
export async function authFromFile(file: string, host: string): Promise<RegistryAuth | undefined> {
  let parsed: { auths?: Record<string, AuthEntry> };
  try {
    parsed = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (err) {
    throw invalidArgument(`--auth-file ${file}: ${(err as Error).message}`, { field: "auth-file" });
  }
  const names = host === "docker.io" ? [host, "index.docker.io", "registry-1.docker.io"] : [host];
  const entry = Object.entries(parsed.auths ?? {}).find(([key]) =>
    names.includes(key.replace(/^https?:\/\//, "").replace(/\/.*$/, "")),
  )?.[1];
  if (!entry) return undefined;
  const auth: RegistryAuth = {};
  if (entry.auth) auth.auth = entry.auth;
  if (entry.username) auth.username = entry.username;
  if (entry.password) auth.password = entry.password;
  if (entry.identitytoken) auth.identityToken = entry.identitytoken;
  if (entry.registrytoken) auth.registryToken = entry.registrytoken;
  return auth;
}
