import path from "node:path";
import type { NetConfList, PluginConf } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const typePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * A network config file's text as a conflist. `.conflist` files must be lists; a `.conf`/`.json`
 * holding a single plugin object is wrapped as a one-plugin list, as libcni does.
 */
export function parseConfList(file: string, text: string): NetConfList {
  const invalid = (why: string) =>
    new CniError(cniCode.invalidConfig, `invalid network config ${file}`, why);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(`malformed JSON: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw invalid("not a JSON object");
  const isList = path.extname(file) === ".conflist" || "plugins" in raw;
  const list: Record<string, unknown> = isList
    ? { ...raw }
    : { cniVersion: raw.cniVersion, name: raw.name, plugins: [raw] };

  if (typeof list.name !== "string" || list.name === "") throw invalid('missing "name"');
  if (!namePattern.test(list.name)) {
    throw invalid(`"name" ${JSON.stringify(list.name)} must be alphanumerics, "_", "." or "-"`);
  }
  if (list.cniVersion !== undefined && typeof list.cniVersion !== "string") {
    throw invalid('"cniVersion" must be a string');
  }
  if (
    list.cniVersions !== undefined &&
    (!Array.isArray(list.cniVersions) || !list.cniVersions.every((v) => typeof v === "string"))
  ) {
    throw invalid('"cniVersions" must be a list of strings');
  }
  if (!list.cniVersion && !(Array.isArray(list.cniVersions) && list.cniVersions.length > 0)) {
    throw invalid('missing "cniVersion"');
  }
  for (const key of ["disableCheck", "disableGC"]) {
    if (list[key] === undefined) continue;
    const value = flag(list[key]);
    if (value === undefined) throw invalid(`"${key}" must be a boolean`);
    list[key] = value;
  }
  if (!Array.isArray(list.plugins) || list.plugins.length === 0) {
    throw invalid('no plugins ("plugins" must be a non-empty list)');
  }
  list.plugins.forEach((plugin: unknown, i: number) => checkPlugin(plugin, i, invalid));
  return list as unknown as NetConfList;
}

function checkPlugin(plugin: unknown, i: number, invalid: (why: string) => CniError): void {
  const where = `plugins[${i}]`;
  if (!isObject(plugin)) throw invalid(`${where} is not an object`);
  if (typeof plugin.type !== "string" || plugin.type === "") {
    throw invalid(`${where} has no "type"`);
  }
  if (!typePattern.test(plugin.type)) {
    throw invalid(`${where}: bad plugin type ${JSON.stringify(plugin.type)}`);
  }
  if (plugin.capabilities !== undefined && !isObject(plugin.capabilities)) {
    throw invalid(`${where}: "capabilities" must be an object`);
  }
  const conf = plugin as PluginConf;
  if (conf.ipam !== undefined && (!isObject(conf.ipam) || typeof conf.ipam.type !== "string")) {
    throw invalid(`${where}: "ipam" must be an object with a "type"`);
  }
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
