import type { Logger } from "../../lib/logger.js";
import { Backoff, pause, type BackoffOptions } from "./backoff.js";
import type { KubeClient } from "./kube-client.js";
import { isGone, kubeApiError, type KubeStatus } from "./kube-errors.js";
import { ObjectCache, type CacheEvent, type KubeObjectLike } from "./object-cache.js";
import { readWatchEvents } from "./watch-stream.js";

export type { CacheEvent } from "./object-cache.js";

export interface ReflectorOptions<T> {
  client: KubeClient;
  /** A collection path: "/api/v1/pods", "/api/v1/namespaces/ns/configmaps"… */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Called in order for every change of the cache; errors (and rejections) are logged. */
  onEvent: (event: CacheEvent<T>) => void | Promise<void>;
  /**
   * After each full list (the first and every relist), once its events were handed on: every
   * object the server has now. Errors are logged.
   */
  onListed?: (items: T[]) => void;
  logger: Logger;
  /** Items per list page (default 500). */
  pageSize?: number;
  /** How long the server keeps one watch open (default: 5 to 10 min at random). */
  watchTimeoutSeconds?: number;
  /** Delays between failed lists or watches (default 800 ms doubling to 30 s). */
  backoff?: BackoffOptions;
}

export interface Reflector<T> {
  /** True once the first list is in the cache and its events were handed on; false if stopped first. */
  synced: Promise<boolean>;
  get(namespace: string | undefined, name: string): T | undefined;
  list(): T[];
  /** The resourceVersion the cache reflects. */
  resourceVersion(): string;
  /** Ends the watch and every retry; resolves once nothing is left running. */
  stop(): Promise<void>;
}

// A watch that ends this soon without telling us anything counts as a failure (no hot loop).
const minHealthyWatchMs = 1_000;

/**
 * client-go's reflector + informer in one: list (paged), then watch from the list's
 * resourceVersion with bookmarks; a broken watch resumes from the last resourceVersion seen
 * after a backoff, an expired one (410) relists. The cache holds the objects by namespace/name.
 */
export function startReflector<T extends KubeObjectLike>(
  options: ReflectorOptions<T>,
): Reflector<T> {
  const { client, path, logger } = options;
  const cache = new ObjectCache<T>();
  const abort = new AbortController();
  const backoff = new Backoff(options.backoff);
  const selectors = { fieldSelector: options.fieldSelector, labelSelector: options.labelSelector };
  let resourceVersion = "";
  let markSynced: (synced: boolean) => void = () => undefined;
  const synced = new Promise<boolean>((resolve) => (markSynced = resolve));

  const emit = (event: CacheEvent<T>) => {
    try {
      const result = options.onEvent(event);
      if (result instanceof Promise) result.catch((err) => handlerFailed(err));
    } catch (err) {
      handlerFailed(err);
    }
  };
  const handlerFailed = (err: unknown) =>
    logger.error("watch handler failed", { path, error: (err as Error).message });

  async function relist(): Promise<void> {
    const items: T[] = [];
    let listVersion = "";
    let next: string | undefined;
    do {
      const page = await client.request<{
        metadata?: { resourceVersion?: string; continue?: string };
        items?: T[];
      }>("GET", path, {
        query: { ...selectors, limit: options.pageSize ?? 500, continue: next },
        signal: abort.signal,
      });
      items.push(...(page.items ?? []));
      listVersion ||= page.metadata?.resourceVersion ?? "";
      next = page.metadata?.continue || undefined;
    } while (next);
    for (const event of cache.replace(items)) emit(event);
    resourceVersion = listVersion;
    try {
      options.onListed?.(cache.list());
    } catch (err) {
      handlerFailed(err);
    }
  }

  /** One watch, until the server ends it: "gone" when the resourceVersion expired. */
  async function watch(): Promise<"ended" | "gone"> {
    const timeoutSeconds = options.watchTimeoutSeconds ?? Math.round(300 * (1 + Math.random()));
    const started = Date.now();
    const res = await client.stream(path, {
      query: {
        ...selectors,
        watch: "true",
        resourceVersion,
        allowWatchBookmarks: "true",
        timeoutSeconds,
      },
      signal: abort.signal,
      idleTimeoutMs: (timeoutSeconds + 30) * 1000,
    });
    let outcome: "ended" | "gone" = "ended";
    let events = 0;
    await readWatchEvents<T>(res, ({ type, object }) => {
      if (type === "ERROR") {
        const status = object as KubeStatus;
        if (status.code === 410) {
          outcome = "gone";
          res.destroy();
          return;
        }
        throw kubeApiError("WATCH", path, status.code ?? 500, status);
      }
      events++;
      const version = (object as T).metadata?.resourceVersion;
      if (version) resourceVersion = version;
      if (type === "BOOKMARK") return;
      const change = cache.apply(type, object as T);
      if (change) emit(change);
    });
    if (outcome === "ended" && events === 0 && Date.now() - started < minHealthyWatchMs) {
      throw new Error("the watch ended at once");
    }
    backoff.reset();
    return outcome;
  }

  const running = (async () => {
    let needList = true;
    while (!abort.signal.aborted) {
      try {
        if (needList) {
          await relist();
          needList = false;
          backoff.reset();
          markSynced(true);
        }
        if ((await watch()) === "gone") {
          logger.info("watch expired; listing again", { path, resourceVersion });
          needList = true;
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        if (!needList && isGone(err)) {
          logger.info("watch expired; listing again", { path, resourceVersion });
          needList = true;
          continue;
        }
        const delayMs = backoff.next();
        logger.warn(needList ? "list failed" : "watch failed", {
          path,
          error: (err as Error).message,
          retryInMs: delayMs,
        });
        await pause(delayMs, abort.signal);
      }
    }
    markSynced(false);
  })();

  return {
    synced,
    get: (namespace, name) => cache.get(namespace, name),
    list: () => cache.list(),
    resourceVersion: () => resourceVersion,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}
