/**
 * How long this process may rely on its lease. etcd starts a lease's TTL when it handles the grant
 * or keep-alive, which is after we sent it, so "sent at + TTL" on our clock is never later than
 * the moment etcd can expire the lease and hand the key to another candidate. Leadership ends a
 * margin before that, so a late timer or a busy event loop cannot carry it past the expiry.
 */
export class LeaseDeadline {
  private expiresAtMs = Number.NEGATIVE_INFINITY;
  private stepDownAtMs = Number.NEGATIVE_INFINITY;

  /** A grant or keep-alive sent at `sentAtMs` was answered with `ttlSeconds` (> 0). */
  confirmed(sentAtMs: number, ttlSeconds: number): void {
    if (!(ttlSeconds > 0)) throw new RangeError(`a lease TTL must be positive, got ${ttlSeconds}`);
    const expiresAt = sentAtMs + ttlSeconds * 1000;
    // Answers may be attributed to an older send: never let one move the deadline back.
    if (expiresAt <= this.expiresAtMs) return;
    this.expiresAtMs = expiresAt;
    this.stepDownAtMs = expiresAt - stepDownMarginMs(ttlSeconds);
  }

  /** The earliest moment etcd may expire the lease (-Infinity before any confirmation). */
  get expiresAt(): number {
    return this.expiresAtMs;
  }

  /** When leadership must have ended unless a renewal moves it on. */
  get stepDownAt(): number {
    return this.stepDownAtMs;
  }

  holds(nowMs: number): boolean {
    return nowMs < this.stepDownAtMs;
  }
}

/** A tenth of the TTL, kept between 100 ms and 1 s. */
export function stepDownMarginMs(ttlSeconds: number): number {
  return Math.min(1000, Math.max(100, ttlSeconds * 100));
}
