/**
 * Many shared holders (ADD/DEL/CHECK) or one exclusive holder (GC). A waiting exclusive holder
 * blocks new shared ones, so a steady stream of ADDs cannot starve GC.
 */
export class RwLock {
  private readers = 0;
  private writer = false;
  private readonly waiting: { exclusive: boolean; wake: () => void }[] = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await fn();
    } finally {
      this.readers--;
      this.dispatch();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      return await fn();
    } finally {
      this.writer = false;
      this.dispatch();
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ exclusive, wake: resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.writer) {
      const next = this.waiting[0];
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.writer = true;
      } else {
        this.readers++;
      }
      this.waiting.shift();
      next.wake();
    }
  }
}
