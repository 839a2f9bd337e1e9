import type { ObjectChange } from "./object-change.js";

/**
 * The most recent changes of one resource, oldest first, at most `capacity` of them: what a watch
 * resuming from a recent resourceVersion is served from.
 */
export class EventRing {
  private readonly slots: (ObjectChange | undefined)[];
  private start = 0;
  private count = 0;
  private resumableFrom: number;

  /** `revision`: the revision the resource was listed at; watches from it on can be served. */
  constructor(
    readonly capacity: number,
    revision: number,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<ObjectChange | undefined>(capacity);
    this.resumableFrom = revision;
  }

  /** The oldest revision a watch can start after and still get every change since. */
  get oldestResumable(): number {
    return this.resumableFrom;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the newest change (revisions never decrease); the oldest falls out when full. */
  push(change: ObjectChange): void {
    if (this.count === this.capacity) {
      const oldest = this.slots[this.start]!;
      this.slots[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      // A watch from the dropped change's revision still gets everything after it.
      this.resumableFrom = Math.max(this.resumableFrom, oldest.revision);
    }
    this.slots[(this.start + this.count) % this.capacity] = change;
    this.count++;
  }

  /** Changes after `revision`, oldest first; `revision` must be >= oldestResumable. */
  since(revision: number): ObjectChange[] {
    if (revision < this.resumableFrom) {
      throw new RangeError(`revision ${revision} is older than the ring (${this.resumableFrom})`);
    }
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const out: ObjectChange[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): ObjectChange {
    return this.slots[(this.start + i) % this.capacity]!;
  }
}
