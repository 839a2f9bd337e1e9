import type { Container } from "../../kube/types.js";

/**
 * A stable hash of everything in a container's spec that needs a new container when it changes:
 * the whole spec minus resources (which can change in place). Key order and absent fields do not
 * matter. FNV-1a 32-bit over canonical JSON, in hex, as kubelet writes io.kubernetes.container.hash.
 */
export function containerHash(container: Container): string {
  const rest: Partial<Container> = { ...container };
  delete rest.resources;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(canonicalJson(rest), "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
