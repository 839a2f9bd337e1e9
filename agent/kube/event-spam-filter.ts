/**
 * client-go's event spam filter: a token bucket per source+object, holding `burst` tokens and
 * gaining one every `refillMs`. A record takes a token or is dropped. Buckets of objects not
 * heard from are forgotten oldest first beyond `maxKeys`.
 */
export class EventSpamFilter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly maxKeys = 4096,
  ) {}

  /** True when an event about `key` may be written now (and takes its token). */
  allow(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    const refilled = Math.floor((nowMs - bucket.atMs) / this.refillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + refilled);
      bucket.atMs += refilled * this.refillMs;
    }
    if (bucket.tokens >= this.burst) bucket.atMs = nowMs;
    // Re-inserting keeps the Map in least-recently-used order.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }
}
