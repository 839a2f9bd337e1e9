/**
 * Pods waiting to be placed: active ones in arrival order, unschedulable ones parked until the
 * cluster changes (or their backoff ends), as kube-scheduler's active and unschedulable queues.
 */
export class SchedulingQueue {
  private readonly active = new Map<string, true>();
  private readonly parked = new Map<string, { attempts: number; until: number }>();

  /** Queues a pod to try now (new, or changed). */
  add(key: string): void {
    this.parked.delete(key);
    this.active.set(key, true);
  }

  remove(key: string): void {
    this.active.delete(key);
    this.parked.delete(key);
  }

  /** Parks a pod that fits nowhere, with a backoff that doubles per attempt (1 s to 10 s). */
  park(key: string, now: number): void {
    const attempts = (this.parked.get(key)?.attempts ?? 0) + 1;
    const backoff = Math.min(1000 * 2 ** (attempts - 1), 10_000);
    this.parked.set(key, { attempts, until: now + backoff });
  }

  /** Something changed that may make parked pods fit: retry those whose backoff is over. */
  moveParked(now: number, all = false): void {
    for (const [key, p] of this.parked) {
      if (all || p.until <= now) {
        this.parked.delete(key);
        this.active.set(key, true);
      }
    }
  }

  /** The next pod to try, oldest first. */
  pop(): string | undefined {
    const next = this.active.keys().next();
    if (next.done) return undefined;
    this.active.delete(next.value);
    return next.value;
  }

  get size(): number {
    return this.active.size;
  }

  get parkedCount(): number {
    return this.parked.size;
  }
}
