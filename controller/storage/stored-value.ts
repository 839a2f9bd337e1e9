import { internal, invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import type { KeyValue } from "./etcd-messages.js";
import type { StoredObject } from "./store.js";

/**
 * An object as etcd stores it: JSON without metadata.resourceVersion (the key's mod revision is
 * the version; storing it too would make every value lie about itself after the next write).
 */
export function encodeValue(value: KubeObject): Buffer {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument("value must be a JSON object", { field: "value" });
  }
  let toStore = value;
  if (value.metadata !== undefined && "resourceVersion" in value.metadata) {
    const metadata = { ...value.metadata };
    delete metadata.resourceVersion;
    toStore = { ...value, metadata };
  }
  let json: string;
  try {
    json = JSON.stringify(toStore);
  } catch (err) {
    throw invalidArgument(`value cannot be stored as JSON: ${(err as Error).message}`, {
      field: "value",
      cause: err,
    });
  }
  return Buffer.from(json, "utf8");
}

/** A key-value read back from etcd; a value that is not a JSON object is reported, naming the key. */
export function decodeKeyValue(kv: KeyValue): StoredObject {
  const key = kv.key.toString("utf8");
  return {
    key,
    value: decodeValue(key, kv.value),
    modRevision: Number(kv.mod_revision),
    createRevision: Number(kv.create_revision),
  };
}

/** The value written at `key`, parsed. */
export function decodeValue(key: string, bytes: Buffer): KubeObject {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw internal(`etcd value at ${key} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw internal(`etcd value at ${key} is not a JSON object`);
  }
  return value as KubeObject;
}
