import type { ProbeClock } from "../../../../../agent/kubelet/prober/probe-clock.js";

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A clock whose time moves only when the test advances it, running what falls due in order. */
export class FakeClock implements ProbeClock {
  private current = 1_000_000;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.current;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer = { due: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** A promise that resolves once the clock has moved `ms` further. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  /** Moves time forward, firing timers as they fall due and letting their work settle. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    await settle();
    for (;;) {
      const next = this.timers
        .filter((t) => t.due <= end)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.due;
      next.fn();
      await settle();
    }
    this.current = end;
  }

  pending(): number {
    return this.timers.length;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}
