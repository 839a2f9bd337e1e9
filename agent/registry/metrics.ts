import { Counter, Histogram, type Registry } from "prom-client";
import { asBerthError } from "../../lib/errors.js";
import type { PullProgress } from "./registry-api.js";

/**
 * Image pull metrics on a registry the caller owns. Berth's own names, plus the kubelet's
 * `kubelet_image_pull_duration_seconds` (same buckets and `image_size_in_bytes` label values as
 * the kubelet) because the agent plays the kubelet's part and dashboards already chart that name.
 */
export class PullMetrics {
  private readonly bytes: Counter;
  private readonly duration: Histogram;
  private readonly errors: Counter<"reason">;
  private readonly kubeletDuration: Histogram<"image_size_in_bytes">;

  constructor(registry: Registry) {
    this.bytes = new Counter({
      name: "berth_image_pull_bytes_total",
      help: "Bytes of layer blobs downloaded by image pulls (resumed ranges counted once).",
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "berth_image_pull_duration_seconds",
      help: "Duration in seconds of successful image pulls, from the first request to the stored image.",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    });
    this.errors = new Counter({
      name: "berth_image_pull_errors_total",
      help: "Failed image pulls, by reason (the error kind: not_found, unauthenticated, unavailable…).",
      labelNames: ["reason"],
      registers: [registry],
    });
    this.kubeletDuration = new Histogram({
      name: "kubelet_image_pull_duration_seconds",
      help: "Duration in seconds to pull an image.",
      labelNames: ["image_size_in_bytes"],
      buckets: [
        1, 5, 10, 20, 30, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
      ],
      registers: [registry],
    });
  }

  /**
   * Runs one pull, measuring it: `pull` gets a progress callback to pass to the pull engine (it
   * forwards every event to `onProgress`). Resolves or rejects as the pull does.
   */
  async measure<T extends { size: number }>(
    pull: (onProgress: (p: PullProgress) => void) => Promise<T>,
    onProgress?: (p: PullProgress) => void,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const received = new Map<string, number>();
    const track = (p: PullProgress) => {
      if (p.kind === "layer") {
        const before = received.get(p.digest) ?? 0;
        // A retry that restarts a blob from zero reports smaller totals: count only new bytes.
        if (p.received > before) {
          this.bytes.inc(p.received - before);
          received.set(p.digest, p.received);
        }
      }
      onProgress?.(p);
    };
    try {
      const result = await pull(track);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe(seconds);
      this.kubeletDuration.observe({ image_size_in_bytes: imageSizeBucket(result.size) }, seconds);
      return result;
    } catch (err) {
      this.errors.inc({ reason: errorReason(err) });
      throw err;
    }
  }
}

/** The kind of a failure as a label value: "NotFound" → "not_found"; unknown errors are "internal". */
export function errorReason(err: unknown): string {
  return asBerthError(err)
    .kind.replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

const mib = 1024 * 1024;
const gib = 1024 * mib;
// The kubelet's label values (pkg/kubelet/metrics: imageSizeBuckets), lower bounds exclusive.
const sizeBuckets: [number, string][] = [
  [0, "0-10MB"],
  [10 * mib, "10MB-100MB"],
  [100 * mib, "100MB-500MB"],
  [500 * mib, "500MB-1GB"],
  [gib, "1GB-5GB"],
  [5 * gib, "5GB-10GB"],
  [10 * gib, "10GB-20GB"],
  [20 * gib, "20GB-30GB"],
  [30 * gib, "30GB-40GB"],
  [40 * gib, "40GB-60GB"],
  [60 * gib, "60GB-100GB"],
  [100 * gib, "GT100GB"],
];

export function imageSizeBucket(bytes: number): string {
  if (bytes <= 0) return "N/A";
  for (let i = sizeBuckets.length - 1; i >= 0; i--) {
    if (bytes > sizeBuckets[i][0]) return sizeBuckets[i][1];
  }
  return "N/A";
}
