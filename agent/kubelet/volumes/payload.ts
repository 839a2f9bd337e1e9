/** One file a configMap, secret or downwardAPI volume projects: its bytes and permission bits. */
export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path (validated with validatePayloadPath) → file. */
export type Payload = Map<string, FileProjection>;

/** True when both payloads hold the same paths with the same bytes and modes. */
export function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [p, file] of a) {
    const other = b.get(p);
    if (!other || other.mode !== file.mode || !other.data.equals(file.data)) return false;
  }
  return true;
}

/** The first path element of each file: the names a reader sees at the top of the volume. */
export function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split("/")[0]));
}
