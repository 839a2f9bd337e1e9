import type { Logger } from "../../lib/logger.js";
import { EventSpamFilter } from "./event-spam-filter.js";
import type { KubeClient } from "./kube-client.js";
import { isNotFound } from "./kube-errors.js";
import { kubeTime } from "./kube-time.js";
import type { KubeEvent, ObjectReference } from "./types.js";

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  client: KubeClient;
  /** The node the events come from: source.host and reportingInstance. */
  host: string;
  /** source.component and reportingComponent (default "kubelet"). */
  component?: string;
  logger: Logger;
  /** Events one object may have written at once (default 25, as client-go). */
  burst?: number;
  /** Then one more per this many ms (default 5 min, as client-go). */
  refillMs?: number;
  /** Records waiting beyond which new ones are dropped (default 1000). */
  maxPending?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

interface Written {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
  lastMs: number;
}

const repeatWindowMs = 10 * 60_000;
const remembered = 4096;

/**
 * core/v1 Events from the agent, written in the background in recording order. As client-go's
 * correlator: the same event (object, type, reason, message) again within ten minutes raises the
 * count and lastTimestamp of the one already written (a PATCH) instead of adding one, and a
 * token bucket per object keeps a busy node from flooding the API. Failures are logged.
 */
export class EventRecorder {
  private readonly component: string;
  private readonly spam: EventSpamFilter;
  private readonly written = new Map<string, Written>();
  private readonly abort = new AbortController();
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private stopped = false;
  private lastNanos = 0n;

  constructor(private readonly options: EventRecorderOptions) {
    this.component = options.component ?? "kubelet";
    this.spam = new EventSpamFilter(options.burst ?? 25, options.refillMs ?? 300_000);
  }

  /** Queues an event about `object`; never throws, never waits. */
  record(object: ObjectReference, type: EventType, reason: string, message: string): void {
    if (this.stopped) return;
    if (!object.name) {
      this.options.logger.warn("event dropped: its object has no name", { reason });
      return;
    }
    const now = this.now();
    const objectKey = [object.apiVersion, object.kind, object.namespace, object.name, object.uid]
      .map((part) => part ?? "")
      .join("\u0000");
    if (!this.spam.allow(objectKey, now.getTime())) {
      this.options.logger.debug("event dropped by the spam filter", {
        reason,
        object: object.name,
      });
      return;
    }
    if (this.pending >= (this.options.maxPending ?? 1000)) {
      this.options.logger.warn("event dropped: too many waiting", { reason, object: object.name });
      return;
    }
    this.pending++;
    const key = [objectKey, type, reason, message].join("\u0000");
    this.tail = this.tail
      .then(() =>
        this.abort.signal.aborted ? undefined : this.write(key, object, type, reason, message, now),
      )
      .catch((err: Error) => {
        if (this.abort.signal.aborted) return;
        this.options.logger.warn("could not write an event", {
          reason,
          object: object.name,
          error: err.message,
        });
      })
      .finally(() => this.pending--);
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flush(): Promise<void> {
    return this.tail;
  }

  /** Takes no more events; waits up to `graceMs` for those queued, then abandons the rest. */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.tail, late]);
    clearTimeout(timer);
    this.abort.abort();
    await this.tail;
  }

  private async write(
    key: string,
    object: ObjectReference,
    type: EventType,
    reason: string,
    message: string,
    at: Date,
  ): Promise<void> {
    const { client } = this.options;
    const signal = this.abort.signal;
    const seen = this.written.get(key);
    const lastTimestamp = kubeTime(at);
    const repeat = seen !== undefined && at.getTime() - seen.lastMs < repeatWindowMs;
    if (repeat) {
      seen.count++;
      seen.lastMs = at.getTime();
      this.remember(key, seen);
      try {
        const path = `/api/v1/namespaces/${seen.namespace}/events/${seen.name}`;
        await client.patch(path, { count: seen.count, lastTimestamp }, "strategic", { signal });
        return;
      } catch (err) {
        // Events expire (an hour by default): then the series goes on in a new one.
        if (!isNotFound(err)) throw err;
      }
    }
    const namespace = object.namespace || "default";
    const entry: Written = repeat
      ? seen
      : { namespace, name: "", count: 1, firstTimestamp: lastTimestamp, lastMs: at.getTime() };
    entry.name = `${object.name}.${this.uniqueNanos(at).toString(16)}`;
    const event: KubeEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: entry.name, namespace },
      involvedObject: object,
      reason,
      message,
      type,
      source: { component: this.component, host: this.options.host },
      firstTimestamp: entry.firstTimestamp,
      lastTimestamp,
      count: entry.count,
      reportingComponent: this.component,
      reportingInstance: this.options.host,
    };
    await client.create(`/api/v1/namespaces/${namespace}/events`, event, { signal });
    this.remember(key, entry);
  }

  private remember(key: string, entry: Written): void {
    this.written.delete(key);
    this.written.set(key, entry);
    if (this.written.size > remembered) {
      this.written.delete(this.written.keys().next().value as string);
    }
  }

  // Event names are <object>.<hex nanoseconds> (as client-go), kept unique within this process.
  private uniqueNanos(at: Date): bigint {
    const nanos = BigInt(at.getTime()) * 1_000_000n;
    this.lastNanos = nanos > this.lastNanos ? nanos : this.lastNanos + 1n;
    return this.lastNanos;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
