import { readFileSync } from "node:fs";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";
import type { RegistryAuth } from "../registry-api.js";
import { dockerHubAliases, dockerHubDomain } from "./host-names.js";

/** The user and password in a RegistryAuth (`username`/`password`, or `auth` = base64 "user:pw"). */
export function basicCredentials(
  auth: RegistryAuth | undefined,
): { username: string; password: string } | undefined {
  if (!auth) return undefined;
  if (auth.username) return { username: auth.username, password: auth.password ?? "" };
  if (auth.auth) {
    const decoded = Buffer.from(auth.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

/** True when the RegistryAuth carries anything to authenticate with. */
export function hasCredentials(auth: RegistryAuth | undefined): auth is RegistryAuth {
  return (
    auth !== undefined &&
    Boolean(auth.username || auth.password || auth.auth || auth.identityToken || auth.registryToken)
  );
}

/**
 * The key a credentials file uses for a host, normalised: Docker writes "https://host/v1/" for
 * Hub and some tools write "https://host"; all name the host.
 */
export function normalizeAuthKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z]+:\/\//i, "");
  const host = withoutScheme.split("/")[0].toLowerCase();
  return dockerHubAliases.includes(host) || dockerHubAliases.includes(key) ? dockerHubDomain : host;
}

interface ConfigEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

/**
 * Credentials for `host` from Docker config.json-style files (`{"auths": {"<host>": {...}}}`),
 * first file with an entry wins. Missing files are skipped; a malformed one is an error naming
 * the file (never its content).
 */
export function credentialsFromFiles(files: string[], host: string): RegistryAuth | undefined {
  const wanted = normalizeAuthKey(host);
  for (const file of files) {
    const auths = readAuths(file);
    if (!auths) continue;
    for (const [key, entry] of Object.entries(auths)) {
      if (normalizeAuthKey(key) !== wanted) continue;
      const found = entryToAuth(entry, file, key);
      if (found) return found;
    }
  }
  return undefined;
}

function readAuths(file: string): Record<string, ConfigEntry> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return undefined;
    throw invalidArgument(`credentials file ${file}: cannot read: ${errnoCode(err) ?? "error"}`, {
      field: "auths",
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArgument(`credentials file ${file}: not valid JSON`, { field: "auths" });
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw invalidArgument(`credentials file ${file}: not a JSON object`, { field: "auths" });
  }
  const auths = (parsed as { auths?: unknown }).auths;
  if (auths === undefined) return undefined;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) {
    throw invalidArgument(`credentials file ${file}: auths must be an object`, { field: "auths" });
  }
  return auths as Record<string, ConfigEntry>;
}

function entryToAuth(entry: ConfigEntry, file: string, key: string): RegistryAuth | undefined {
  const field = `auths["${key}"]`;
  if (typeof entry !== "object" || entry === null) {
    throw invalidArgument(`credentials file ${file}: ${field} must be an object`, { field });
  }
  const str = (name: keyof ConfigEntry): string | undefined => {
    const v = entry[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") {
      throw invalidArgument(`credentials file ${file}: ${field}.${name} must be a string`, {
        field: `${field}.${name}`,
      });
    }
    return v;
  };
  const auth: RegistryAuth = {
    auth: str("auth"),
    username: str("username"),
    password: str("password"),
    identityToken: str("identitytoken"),
    registryToken: str("registrytoken"),
  };
  if (auth.auth && !basicCredentials({ auth: auth.auth })) {
    throw invalidArgument(`credentials file ${file}: ${field}.auth is not base64 "user:password"`, {
      field: `${field}.auth`,
    });
  }
  return hasCredentials(auth) ? auth : undefined;
}
