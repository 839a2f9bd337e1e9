/**
 * client-go's controller expectations: after asking for N creates or deletes, a controller waits
 * until its informer has seen them (or a timeout passes) before deciding again, so it does not
 * act twice on a cache that lags its own writes.
 */
export class Expectations {
  private readonly pending = new Map<string, { adds: number; deletes: number; until: number }>();

  constructor(private readonly timeoutMs = 5000) {}

  expect(key: string, adds: number, deletes: number): void {
    this.pending.set(key, { adds, deletes, until: Date.now() + this.timeoutMs });
  }

  observedAdd(key: string): void {
    const e = this.pending.get(key);
    if (e) e.adds--;
  }

  observedDelete(key: string): void {
    const e = this.pending.get(key);
    if (e) e.deletes--;
  }

  /** A create or delete that failed will never be observed. */
  lowered(key: string, adds: number, deletes: number): void {
    const e = this.pending.get(key);
    if (!e) return;
    e.adds -= adds;
    e.deletes -= deletes;
  }

  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes <= 0) || Date.now() > e.until) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}
