import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { clone, nowTimestamp } from "../api/objects/api-object.js";
import { createNew } from "../api/objects/create-new.js";
import { prepareUpdate } from "../api/objects/prepare-update.js";
import { ApiError } from "../api/status.js";
import type { KubeObject } from "../resources/kube-object.js";

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  /** Events one object may have written at once (client-go's spam filter: 25). */
  burst?: number;
  /** Then one more per this many ms (client-go: 5 minutes). */
  refillMs?: number;
  /** Records waiting to be written beyond which new ones are dropped (client-go: 1000). */
  maxPending?: number;
}

interface Written {
  namespace: string;
  name: string;
  count: number;
  at: number;
}

const remembered = 4096;
const repeatWindowMs = 10 * 60_000;

/**
 * client-go's event recorder for the in-process controllers: a core/v1 Event about an object,
 * written in the background and in recording order for each object. As client-go's correlator
 * does, the same event again (object, type, reason, message) within ten minutes raises the count
 * of the one written before, and events about one object are written at most a burst at a time,
 * then one per refill period, so a busy controller cannot flood etcd with events.
 */
export class EventRecorder {
  private readonly tokens = new Map<string, { left: number; at: number }>();
  private readonly written = new Map<string, Written>();
  private readonly chains = new Map<string, Promise<void>>();
  private pending = 0;
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly deps: ApiDeps,
    readonly component: string,
    private readonly logger: Logger,
    options: EventRecorderOptions = {},
  ) {
    this.burst = options.burst ?? 25;
    this.refillMs = options.refillMs ?? 300_000;
    this.maxPending = options.maxPending ?? 1000;
  }

  /** Records an event about `involved` (an object as served: apiVersion and kind set). */
  record(involved: KubeObject, type: EventType, reason: string, message: string): void {
    const meta = involved.metadata ?? {};
    const objectKey = [
      involved.apiVersion,
      involved.kind,
      meta.namespace,
      meta.name,
      meta.uid,
    ].join("|");
    if (!this.take(objectKey)) return;
    if (this.pending >= this.maxPending) {
      this.logger.warn("event dropped: too many waiting", { component: this.component, reason });
      return;
    }
    this.pending++;
    const previous = this.chains.get(objectKey) ?? Promise.resolve();
    const next = previous
      .then(() =>
        this.write(involved, `${objectKey}|${type}|${reason}|${message}`, type, reason, message),
      )
      .catch((err: Error) => {
        this.logger.warn("could not write an event", {
          component: this.component,
          object: `${meta.namespace ?? ""}/${meta.name ?? ""}`,
          reason,
          error: err.message,
        });
      })
      .finally(() => {
        this.pending--;
        if (this.chains.get(objectKey) === next) this.chains.delete(objectKey);
      });
    this.chains.set(objectKey, next);
  }

  /** Resolves once every event recorded so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** The spam filter's token bucket for one key. */
  private take(key: string): boolean {
    const now = Date.now();
    const bucket = this.tokens.get(key) ?? { left: this.burst, at: now };
    const refilled = Math.floor((now - bucket.at) / this.refillMs);
    if (refilled > 0) {
      bucket.left = Math.min(this.burst, bucket.left + refilled);
      bucket.at += refilled * this.refillMs;
    }
    remember(this.tokens, key, bucket);
    if (bucket.left <= 0) return false;
    bucket.left--;
    return true;
  }

  private async write(
    involved: KubeObject,
    key: string,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const events = this.deps.registry.find("", "v1", "events");
    if (!events) return;
    const now = this.deps.now();
    const stamp = nowTimestamp(now);
    const before = this.written.get(key);
    if (before && now.getTime() - before.at < repeatWindowMs) {
      const count = before.count + 1;
      try {
        await this.deps.resources.update(events, before.namespace, before.name, (current) => {
          const next = { ...clone(current), count, lastTimestamp: stamp } as KubeObject;
          return prepareUpdate(events, current, next, {
            subresource: "",
            fieldManager: this.component,
            now,
          });
        });
        remember(this.written, key, { ...before, count, at: now.getTime() });
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    const created = await createNew(
      this.deps,
      events,
      this.eventObject(involved, type, reason, message, stamp),
      { fieldManager: this.component },
    );
    remember(this.written, key, {
      namespace: created.metadata?.namespace ?? "",
      name: created.metadata?.name ?? "",
      count: 1,
      at: now.getTime(),
    });
  }

  private eventObject(
    involved: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    stamp: string,
  ): KubeObject {
    const meta = involved.metadata ?? {};
    // Events about cluster-scoped objects (nodes) live in "default", as client-go puts them.
    const namespace = meta.namespace || "default";
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${meta.name}.${uniqueSuffix()}`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    };
  }
}

let lastSuffix = 0n;

/** client-go names events <object>.<unix nanoseconds in hex>; kept strictly increasing here. */
function uniqueSuffix(): string {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  lastSuffix = now > lastSuffix ? now : lastSuffix + 1n;
  return lastSuffix.toString(16);
}

/** Sets key → value as the newest entry of a map kept to `remembered` entries (LRU). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > remembered) map.delete(map.keys().next().value as string);
}
