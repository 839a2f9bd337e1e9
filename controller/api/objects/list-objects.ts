import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { CompactedError } from "../../storage/store.js";
import { expired } from "../status.js";
import { toApiObject } from "./api-object.js";
import { decodeContinue, encodeContinue } from "./continue-token.js";
import type { ResourceStore } from "./resource-store.js";
import type { WatchCache } from "../cache/watch-cache.js";

export interface ListRequest {
  matches: (obj: KubeObject) => boolean;
  /** Page size (0: everything). */
  limit: number;
  continueToken?: string;
  /** Read at exactly this revision (resourceVersionMatch=Exact). */
  revision?: number;
  /**
   * Any state at least this recent will do (resourceVersion=0: any; NotOlderThan): served from
   * the watch cache when it is ready and that recent, else read from the store like a
   * consistent list (which is never older). Absent: a consistent read.
   */
  notOlderThan?: number;
}

export interface ListPage {
  items: KubeObject[];
  /** The revision the list was read at: the list's metadata.resourceVersion. */
  revision: number;
  continueToken?: string;
  /** Items after this page, when known exactly (no selector filtering). */
  remaining?: number;
  /** Served by the watch cache: the items are shared with it (read-only). */
  fromCache?: boolean;
}

/**
 * A list page with selectors applied, read at one revision so that continuing stays consistent;
 * etcd is read in chunks until the page is full, as the apiserver does with `limit`.
 */
export async function listObjects(
  rs: ResourceStore,
  rt: ResourceType,
  namespace: string,
  request: ListRequest,
): Promise<ListPage> {
  const prefix = rs.keys.collection(rt, namespace);
  if (
    request.notOlderThan !== undefined &&
    !request.continueToken &&
    request.revision === undefined
  ) {
    const cache = rs.caches?.ready(rt);
    if (cache && cache.revision >= request.notOlderThan) {
      return listCached(cache, prefix, request);
    }
  }
  let start: string | undefined;
  let revision = request.revision;
  if (request.continueToken) {
    const token = decodeContinue(request.continueToken, prefix);
    start = token.start;
    revision = token.revision;
  }
  const items: KubeObject[] = [];
  const filtering = request.limit > 0;
  try {
    for (;;) {
      const chunk = filtering ? Math.max(request.limit - items.length, 50) : 0;
      const page = await rs.store.list(prefix, { limit: chunk, startKey: start, revision });
      revision = page.revision;
      for (const [i, stored] of page.items.entries()) {
        const obj = toApiObject(rt, stored);
        if (!request.matches(obj)) continue;
        items.push(obj);
        if (filtering && items.length === request.limit) {
          const more = i < page.items.length - 1 || page.nextKey !== undefined;
          if (!more) return { items, revision };
          return {
            items,
            revision,
            continueToken: encodeContinue({ revision, start: `${stored.key}\x00` }),
          };
        }
      }
      if (page.nextKey === undefined) return { items, revision };
      start = page.nextKey;
    }
  } catch (err) {
    if (err instanceof CompactedError && request.continueToken) {
      throw expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    if (err instanceof CompactedError) throw expired(err.message);
    throw err;
  }
}

/** A page from the cache's objects at its revision; continuing reads the store at that revision. */
function listCached(cache: WatchCache, prefix: string, request: ListRequest): ListPage {
  const revision = cache.revision;
  const items: KubeObject[] = [];
  let last: string | undefined;
  for (const entry of cache.entries(prefix)) {
    if (!request.matches(entry.object)) continue;
    if (request.limit > 0 && items.length === request.limit) {
      return {
        items,
        revision,
        continueToken: encodeContinue({ revision, start: `${last}\x00` }),
        fromCache: true,
      };
    }
    items.push(entry.object);
    last = entry.key;
  }
  return { items, revision, fromCache: true };
}
