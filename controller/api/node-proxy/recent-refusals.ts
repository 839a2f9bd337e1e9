/**
 * Agents speak WebSocket only. kubectl ≥ 1.30 tries a WebSocket first and, refused, retries the
 * same request over SPDY, which the agent refuses too — for want of SPDY, hiding why it refused
 * the first (a container that is not running, say). The first refusal is kept a few seconds, so
 * that the retry gets the answer that explains it.
 */
export class RecentRefusals {
  private readonly entries = new Map<string, { answer: Buffer; at: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the raw answer (head and body) an agent refused a WebSocket upgrade with. */
  remember(key: string, answer: Buffer): void {
    this.prune();
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { answer, at: this.now() });
  }

  /** The refusal kept for this key, once: undefined when there is none or it is too old. */
  take(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry && this.now() - entry.at <= this.ttlMs ? entry.answer : undefined;
  }

  private prune(): void {
    const limit = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.at >= limit) break;
      this.entries.delete(key);
    }
  }
}
