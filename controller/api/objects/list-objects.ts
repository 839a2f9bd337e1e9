import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { CompactedError } from "../../storage/store.js";
import { expired } from "../status.js";
import { toApiObject } from "./api-object.js";
import { decodeContinue, encodeContinue } from "./continue-token.js";
import type { ResourceStore } from "./resource-store.js";

export interface ListRequest {
  matches: (obj: KubeObject) => boolean;
  /** Page size (0: everything). */
  limit: number;
  continueToken?: string;
  /** Read at exactly this revision (resourceVersionMatch=Exact). */
  revision?: number;
}

export interface ListPage {
  items: KubeObject[];
  /** The revision the list was read at: the list's metadata.resourceVersion. */
  revision: number;
  continueToken?: string;
  /** Items after this page, when known exactly (no selector filtering). */
  remaining?: number;
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
