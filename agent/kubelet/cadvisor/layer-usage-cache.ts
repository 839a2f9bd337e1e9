interface Entry {
  value?: number;
  measuredAt: number;
  pending?: Promise<number | undefined>;
}

/**
 * A container's writable-layer usage needs a walk of its upper dir, far costlier than a cgroup
 * read, so each container's is reused for `ttlMs`. A stale value is still answered while a new
 * walk runs in the background (the next scrape gets it), so scrape time does not depend on the
 * walks; only a container's first scrape waits for one.
 */
export class LayerUsageCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly measure: (containerId: string) => Promise<number | undefined>,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(containerId: string): Promise<number | undefined> {
    const entry = this.entries.get(containerId);
    if (!entry) return this.refresh(containerId);
    if (!entry.pending && this.now() - entry.measuredAt >= this.ttlMs) {
      void this.refresh(containerId).catch(() => undefined);
    }
    return entry.value ?? entry.pending;
  }

  /** Forgets containers not in `ids` (removed since), so the cache stays as big as the node. */
  retain(ids: Set<string>): void {
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private refresh(containerId: string): Promise<number | undefined> {
    const entry = this.entries.get(containerId) ?? { measuredAt: 0 };
    const pending = this.measure(containerId).then(
      (value) => {
        this.entries.set(containerId, { value, measuredAt: this.now() });
        return value;
      },
      (err: unknown) => {
        // Measured again next time; a stale value is better dropped than kept forever.
        this.entries.delete(containerId);
        throw err;
      },
    );
    this.entries.set(containerId, { ...entry, pending });
    return pending;
  }
}
