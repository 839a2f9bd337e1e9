import { cloneJson, getMember, isJsonObject, setMember, type JsonObject } from "./json-value.js";

/**
 * RFC 7386 JSON merge patch: objects merge recursively, null removes a member, anything else
 * (arrays included) replaces the target. Neither input is modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(target), patch);
}

/** Merges into `target`, which the caller owns. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setMember(result, key, mergeInto(getMember(result, key), value));
  }
  return result;
}
