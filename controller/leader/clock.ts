/**
 * Milliseconds and timers for the election. The system clock is monotonic (performance.now()):
 * a wall clock stepped by NTP must never stretch how long we believe our lease lasts.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms` (at once if `ms` <= 0); the returned function cancels it. */
  schedule(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  schedule: (ms, fn) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
