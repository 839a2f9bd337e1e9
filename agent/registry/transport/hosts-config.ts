import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";
import { parseTomlSubset, TomlError, type TomlTable, type TomlValue } from "./toml-subset.js";

export type Capability = "pull" | "resolve" | "push";
const allCapabilities: Capability[] = ["pull", "resolve", "push"];

/** One place to send a registry's requests, as hosts.toml describes it. */
export interface HostEntry {
  /** scheme://host[:port][/path] */
  url: URL;
  capabilities: Set<Capability>;
  /** undefined: not set (the default for the scheme applies). */
  skipVerify?: boolean;
  /** CA certificate files (absolute). */
  caFiles: string[];
  /** The URL's path replaces `/v2` instead of prefixing it. */
  overridePath: boolean;
}

export interface HostsConfig {
  /** The upstream override (`server = "…"` plus top-level settings). */
  server?: HostEntry;
  /** Top-level `skip_verify` / `ca` without a `server`: they apply to the default upstream. */
  upstreamSkipVerify?: boolean;
  upstreamCaFiles: string[];
  /** `[host."…"]` entries, in file order: mirrors, tried before the upstream. */
  mirrors: HostEntry[];
}

/**
 * Reads `<hostsDir>/<host>/hosts.toml` (containerd's layout; `_default` when the host has no
 * directory). Without a hosts.toml, `*.crt` files in the host's directory are CAs for the
 * upstream, as in Docker's certs.d.
 */
export function loadHostsConfig(hostsDir: string, host: string): HostsConfig {
  for (const dirName of [host, "_default"]) {
    const dir = path.join(hostsDir, dirName);
    const file = path.join(dir, "hosts.toml");
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if (errnoCode(err) !== "ENOENT" && errnoCode(err) !== "ENOTDIR") {
        throw invalidArgument(`hosts file ${file}: cannot read: ${errnoCode(err) ?? err}`);
      }
    }
    if (text !== undefined) return parseHostsConfig(text, file);
    const certs = certFiles(dir);
    if (certs !== undefined) return { mirrors: [], upstreamCaFiles: certs };
  }
  return { mirrors: [], upstreamCaFiles: [] };
}

function certFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".crt"))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return undefined;
  }
}

/** Interprets a hosts.toml text; `file` names it in errors and anchors relative `ca` paths. */
export function parseHostsConfig(text: string, file: string): HostsConfig {
  let doc: TomlTable;
  try {
    doc = parseTomlSubset(text);
  } catch (err) {
    if (err instanceof TomlError) throw invalidArgument(`hosts file ${file}: ${err.message}`);
    throw err;
  }
  const dir = path.dirname(file);
  const config: HostsConfig = { mirrors: [], upstreamCaFiles: [] };
  const top = readSettings(doc, file, dir, "");
  if (doc.server !== undefined) {
    config.server = { ...top, url: parseHostUrl(doc.server, file, "server") };
  } else {
    config.upstreamSkipVerify = top.skipVerify;
    config.upstreamCaFiles = top.caFiles;
  }
  const hosts = doc.host;
  if (hosts !== undefined) {
    if (!isTable(hosts))
      throw invalidArgument(`hosts file ${file}: host must be a table`, { field: "host" });
    for (const [name, table] of Object.entries(hosts)) {
      const field = `host."${name}"`;
      if (!isTable(table))
        throw invalidArgument(`hosts file ${file}: ${field} must be a table`, { field });
      config.mirrors.push({
        ...readSettings(table, file, dir, `${field}.`),
        url: parseHostUrl(name, file, field),
      });
    }
  }
  return config;
}

function readSettings(
  table: TomlTable,
  file: string,
  dir: string,
  prefix: string,
): Omit<HostEntry, "url"> {
  const bad = (key: string, want: string) =>
    invalidArgument(`hosts file ${file}: ${prefix}${key} must be ${want}`, {
      field: `${prefix}${key}`,
    });
  const capabilities = new Set<Capability>(allCapabilities);
  if (table.capabilities !== undefined) {
    const list = table.capabilities;
    if (!Array.isArray(list)) throw bad("capabilities", "an array");
    capabilities.clear();
    for (const c of list) {
      if (typeof c !== "string" || !allCapabilities.includes(c as Capability)) {
        throw bad("capabilities", `a list of ${allCapabilities.join(", ")}`);
      }
      capabilities.add(c as Capability);
    }
  }
  const skipVerify = table.skip_verify;
  if (skipVerify !== undefined && typeof skipVerify !== "boolean")
    throw bad("skip_verify", "true or false");
  const overridePath = table.override_path ?? false;
  if (typeof overridePath !== "boolean") throw bad("override_path", "true or false");
  const ca = table.ca;
  const caList = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
  if (!caList.every((c): c is string => typeof c === "string"))
    throw bad("ca", "a path or a list of paths");
  return {
    capabilities,
    skipVerify,
    overridePath,
    caFiles: caList.map((c) => path.resolve(dir, c)),
  };
}

function parseHostUrl(value: TomlValue | TomlTable, file: string, field: string): URL {
  if (typeof value !== "string" || value === "") {
    throw invalidArgument(`hosts file ${file}: ${field} must be a URL string`, { field });
  }
  // containerd defaults a scheme-less host to HTTPS.
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidArgument(`hosts file ${file}: ${field} is not a valid URL: ${value}`, { field });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidArgument(`hosts file ${file}: ${field} must be an http or https URL`, { field });
  }
  return url;
}

function isTable(v: TomlValue | TomlTable): v is TomlTable {
  return typeof v === "object" && !Array.isArray(v);
}
