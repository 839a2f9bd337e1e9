export type ProgressListener = (received: number, total: number) => void;

export type Download = (signal: AbortSignal, onProgress: ProgressListener) => Promise<void>;

interface Running {
  done: Promise<void>;
  controller: AbortController;
  waiters: number;
  listeners: Set<ProgressListener>;
}

/**
 * Downloads in flight in this process, by key (the blob's path in its store): a pull that needs
 * a blob another pull is already fetching waits for that download instead of starting its own.
 * The download is aborted only when every pull waiting for it has given up.
 */
export class SharedDownloads {
  private readonly running = new Map<string, Running>();

  /** Starts `download` under `key`, or joins the one already running; settles as it does. */
  async join(
    key: string,
    download: Download,
    onProgress: ProgressListener,
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    const entry = this.running.get(key) ?? this.start(key, download);
    entry.waiters += 1;
    entry.listeners.add(onProgress);
    let leave: (() => void) | undefined;
    const gaveUp = new Promise<never>((_resolve, reject) => {
      const abandon = () => {
        entry.waiters -= 1;
        entry.listeners.delete(onProgress);
        if (entry.waiters > 0) {
          reject(signal?.reason);
          return;
        }
        entry.controller.abort(signal?.reason);
        // Nothing may still be writing once the pull that gave up cleans its leftovers away.
        entry.done.then(
          () => reject(signal?.reason),
          () => reject(signal?.reason),
        );
      };
      signal?.addEventListener("abort", abandon, { once: true });
      leave = () => signal?.removeEventListener("abort", abandon);
    });
    try {
      await Promise.race([entry.done, gaveUp]);
    } finally {
      leave?.();
      entry.listeners.delete(onProgress);
    }
  }

  /** How many downloads are running (for tests). */
  get size(): number {
    return this.running.size;
  }

  private start(key: string, download: Download): Running {
    const controller = new AbortController();
    const listeners = new Set<ProgressListener>();
    const entry: Running = {
      controller,
      listeners,
      waiters: 0,
      // Started on the next tick, once the first waiter listens to its progress.
      done: Promise.resolve()
        .then(() =>
          download(controller.signal, (received, total) => {
            for (const l of listeners) l(received, total);
          }),
        )
        .finally(() => this.running.delete(key)),
    };
    // Waiters see the failure through join(); this only keeps an unawaited rejection quiet.
    entry.done.catch(() => {});
    this.running.set(key, entry);
    return entry;
  }
}

/** The process's downloads: pulls into the same store share them. */
export const sharedDownloads = new SharedDownloads();
