import type { PullProgress } from "../registry-api.js";

/** At most this often per layer, so a fast download does not flood a progress display. */
const intervalMs = 100;

/** A download progress callback that reports a layer's bytes, throttled, always with the last. */
export function layerProgress(
  digest: string,
  report: (p: PullProgress) => void,
): (received: number, total: number) => void {
  let last = 0;
  return (received, total) => {
    const now = Date.now();
    if (received < total && now - last < intervalMs) return;
    last = now;
    report({ kind: "layer", digest, received, total });
  };
}
