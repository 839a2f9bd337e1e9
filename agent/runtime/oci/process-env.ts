import { invalidArgument } from "../../../lib/errors.js";
import type { KeyValue__Output } from "../../../proto/gen/runtime/v1/KeyValue.js";

export const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The container's environment, built as containerd does: a default PATH, then HOSTNAME, then
 * the image's Env, then the CRI envs — each later entry replacing an earlier one with the same
 * key, in the earlier one's place. An image entry without "=" unsets the key (Docker's rule).
 */
export function processEnv(
  imageEnv: string[] | undefined,
  envs: KeyValue__Output[],
  hostname: string,
): string[] {
  const env = new Map<string, string>();
  const set = (entry: string) => {
    const eq = entry.indexOf("=");
    if (eq < 0) env.delete(entry);
    else env.set(entry.slice(0, eq), entry);
  };
  set(defaultPath);
  set(`HOSTNAME=${hostname}`);
  for (const entry of imageEnv ?? []) {
    if (entry !== "" && !entry.includes("\0")) set(entry);
  }
  envs.forEach((kv, i) => {
    const field = `config.envs[${i}]`;
    const key = kv.key ?? "";
    const value = valueText(kv.value);
    if (key === "" || key.includes("=") || key.includes("\0")) {
      throw invalidArgument(`${field}.key: ${JSON.stringify(key)} is not a valid variable name`, {
        field: `${field}.key`,
      });
    }
    if (value.includes("\0")) {
      throw invalidArgument(`${field}.value: contains a NUL byte`, { field: `${field}.value` });
    }
    set(`${key}=${value}`);
  });
  return [...env.values()];
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return String(value);
}
