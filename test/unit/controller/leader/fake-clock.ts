import type { Clock } from "../../../../controller/leader/clock.js";

/** A Clock that moves only when told: advance() runs every timer that falls due, in order. */
export class FakeClock implements Clock {
  private time = 1_000;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  now(): number {
    return this.time;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time on by `ms`, firing due timers at their own time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  /** Moves time on without firing anything: a blocked event loop. */
  jump(ms: number): void {
    this.time += ms;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
