import { isObject, objectAt, type JsonObject } from "../resources/json-access.js";
import { semanticallyEqual } from "../resources/semantic-equal.js";

export const podTemplateHashLabel = "pod-template-hash";

// rand.SafeEncodeString's alphabet: no vowels (no words) and no 0/1/3 (no look-alikes).
const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** JSON with object keys sorted at every level, so equal objects print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** 32-bit FNV-1a over bytes. */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++)
    out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  return out;
}

/**
 * The pod-template-hash of a template: FNV-1a 32 of its canonical JSON, then (when the Deployment
 * has a collisionCount, 0 included) the count as 8 little-endian bytes, as ComputeHash feeds it;
 * the decimal value is rendered in the safe alphabet.
 */
export function podTemplateHash(template: JsonObject, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncode(String(hash));
}

function withoutHashLabel(template: unknown): JsonObject {
  const copy = structuredClone(objectAt(template) ?? {});
  const labels = objectAt(objectAt(copy.metadata)?.labels);
  if (labels) delete labels[podTemplateHashLabel];
  return copy;
}

/** EqualIgnoreHash: the same pod template once the pod-template-hash label is set aside. */
export function equalIgnoringHash(a: unknown, b: unknown): boolean {
  return semanticallyEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** A copy of template whose labels include the hash. */
export function templateWithHash(template: JsonObject, hash: string): JsonObject {
  const copy = structuredClone(template);
  const meta = objectAt(copy.metadata) ?? {};
  copy.metadata = {
    ...meta,
    labels: { ...(objectAt(meta.labels) ?? {}), [podTemplateHashLabel]: hash },
  };
  return copy;
}

/** A copy of selector whose matchLabels include the hash. */
export function selectorWithHash(selector: JsonObject, hash: string): JsonObject {
  const copy = structuredClone(selector);
  copy.matchLabels = { ...(objectAt(copy.matchLabels) ?? {}), [podTemplateHashLabel]: hash };
  return copy;
}
