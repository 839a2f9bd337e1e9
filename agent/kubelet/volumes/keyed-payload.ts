import { invalidArgument } from "../../../lib/errors.js";
import type { ConfigMap, KeyToPath, Secret } from "../../kube/types.js";
import type { Payload } from "./payload.js";
import { validateFileMode, validatePayloadPath } from "./payload-path.js";

/** Kubernetes' default for configMap, secret and downwardAPI volumes (ConfigMap/SecretVolumeSourceDefaultMode). */
export const defaultFileMode = 0o644;

export interface KeyedVolumeSource {
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

/**
 * The files a configMap or secret volume shows: every key as a file named after it, or with
 * `items` only the listed keys at their paths and modes. A listed key the object lacks is skipped
 * when the volume is optional and an error otherwise (kubelet's wording).
 */
export function keyedPayload(
  entries: Map<string, Buffer>,
  source: KeyedVolumeSource,
  field: string,
  what: "configMap" | "secret",
): Payload {
  const defaultMode =
    source.defaultMode === undefined
      ? defaultFileMode
      : validateFileMode(source.defaultMode, `${field}.defaultMode`);
  const payload: Payload = new Map();
  if (!source.items || source.items.length === 0) {
    for (const [key, data] of entries) {
      validatePayloadPath(key, field);
      payload.set(key, { data, mode: defaultMode });
    }
    return payload;
  }
  source.items.forEach((item, i) => {
    const itemField = `${field}.items[${i}]`;
    const data = entries.get(item.key);
    if (data === undefined) {
      if (source.optional) return;
      const message =
        what === "configMap"
          ? `configmap references non-existent config key: ${item.key}`
          : `references non-existent secret key: ${item.key}`;
      throw invalidArgument(message, { field: `${itemField}.key` });
    }
    validatePayloadPath(item.path, `${itemField}.path`);
    if (payload.has(item.path)) {
      throw invalidArgument(`duplicate path "${item.path}"`, { field: `${itemField}.path` });
    }
    const mode =
      item.mode === undefined ? defaultMode : validateFileMode(item.mode, `${itemField}.mode`);
    payload.set(item.path, { data, mode });
  });
  return payload;
}

/** A configMap's keys: `data` as UTF-8 text and `binaryData` decoded from base64. */
export function configMapEntries(cm: ConfigMap, field: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(cm.data ?? {})) entries.set(key, Buffer.from(value));
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    entries.set(key, decodeBase64(value, `configmap binaryData[${key}]`, field));
  }
  return entries;
}

/** A secret's keys: `data` decoded from base64; `stringData` (write-only on the API) wins if present. */
export function secretEntries(secret: Secret, field: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    entries.set(key, decodeBase64(value, `secret data[${key}]`, field));
  }
  for (const [key, value] of Object.entries(secret.stringData ?? {})) {
    entries.set(key, Buffer.from(value));
  }
  return entries;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: string, what: string, field: string): Buffer {
  if (typeof value !== "string" || !base64.test(value.replace(/[\r\n]/g, ""))) {
    throw invalidArgument(`${what} is not valid base64`, { field });
  }
  return Buffer.from(value.replace(/[\r\n]/g, ""), "base64");
}
