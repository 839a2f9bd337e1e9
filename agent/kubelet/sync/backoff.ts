export interface BackoffOptions {
  /** First delay (kubelet: 10 s for container restarts and image pulls). */
  initialMs?: number;
  /** Largest delay (kubelet: 5 min). An entry untouched for twice this long starts over. */
  maxMs?: number;
  now?: () => number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

/** What the pure planning code may ask of a back-off without changing it. */
export interface BackoffView {
  /** Whether `key` must still wait after its event (a container's exit) at `eventTime`. */
  isInBackOffSince(key: string, eventTime: number): boolean;
  /** The current delay of `key` in ms (0 when it has none). */
  delayMs(key: string): number;
}

/**
 * Per-key exponential back-off the way kubelet's flowcontrol.Backoff works: the first failure
 * costs nothing, each later one waits twice as long as the one before, up to the maximum. An event
 * more than 2 × max after the last back-off (a container that ran 10 min) starts over.
 */
export class Backoff implements BackoffView {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** Records an attempt made now after the event at `eventTime`: the next one waits longer. */
  next(key: string, eventTime: number): void {
    const entry = this.entries.get(key);
    const delayMs =
      !entry || this.expired(eventTime, entry)
        ? this.initialMs
        : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: this.now() });
  }

  isInBackOffSince(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return false;
    return this.now() - eventTime < entry.delayMs;
  }

  /** For events without a time of their own (failed pulls): waits since the last attempt. */
  isInBackOffSinceUpdate(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return false;
    return eventTime - entry.lastUpdate < entry.delayMs;
  }

  /** When the back-off that started at `eventTime` ends (epoch ms), or undefined when none. */
  readyAt(key: string, eventTime: number): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return undefined;
    return eventTime + entry.delayMs;
  }

  delayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key of a pod (keys start with its uid). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Drops entries that would start over anyway. */
  gc(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUpdate > 2 * this.maxMs) this.entries.delete(key);
    }
  }

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }
}

/** The back-off key of a pod's container: kubelet's stable key is per pod and container. */
export function containerBackoffKey(podUid: string, containerName: string): string {
  return `${podUid}/${containerName}`;
}

/** The back-off key of a pod's image pull. */
export function imageBackoffKey(podUid: string, image: string): string {
  return `${podUid}/image/${image}`;
}

/** A duration as Go prints it for whole seconds: "10s", "1m20s", "5m0s". */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
