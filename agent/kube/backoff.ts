import { setTimeout as sleep } from "node:timers/promises";

export interface BackoffOptions {
  /** First delay (default 800 ms). */
  initialMs?: number;
  /** Largest delay (default 30 s). */
  maxMs?: number;
  /** Each delay is up to this fraction longer, at random (default 0.2), so clients spread out. */
  jitter?: number;
}

/** Doubling delays with jitter between failed attempts; reset() after a success. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private current = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.jitter = options.jitter ?? 0.2;
  }

  /** The next delay to wait, in ms. */
  next(): number {
    this.current = this.current === 0 ? this.initialMs : Math.min(this.maxMs, this.current * 2);
    return Math.round(this.current * (1 + Math.random() * this.jitter));
  }

  reset(): void {
    this.current = 0;
  }
}

/** Waits `ms`; resolves false at once (and early) when `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
