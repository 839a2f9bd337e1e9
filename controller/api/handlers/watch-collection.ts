import type { KubeObject } from "../../resources/kube-object.js";
import { CompactedError, type StoreEvent } from "../../storage/store.js";
import type { RequestContext } from "../context.js";
import { apiVersionOf, toApiObject } from "../objects/api-object.js";
import { listObjects } from "../objects/list-objects.js";
import { asApiError, badRequest, expired } from "../status.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";
import { nonNegativeInt } from "./list-collection.js";
import { selectorMatcher } from "./selector-query.js";

type EventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

const defaultTimeoutSeconds = 1800;
const bookmarkEveryMs = 10_000;

/**
 * A watch: one JSON event per line on a chunked 200, flushed as it happens. resourceVersion
 * unset or 0 starts with ADDED for every current match; an object moving out of (into) the
 * selector is DELETED (ADDED); a compacted revision is an ERROR 410 Expired.
 */
export async function watchCollection(ctx: RequestContext): Promise<void> {
  const { rt, deps, info, res } = ctx;
  const query = ctx.url.searchParams;
  const matches = selectorMatcher(rt, query);
  const rvText = query.get("resourceVersion") ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText)) {
    throw badRequest(`invalid resourceVersion: ${JSON.stringify(rvText)}`);
  }
  const sendInitial = query.get("sendInitialEvents") === "true";
  const bookmarks = query.get("allowWatchBookmarks") === "true";
  const timeout =
    nonNegativeInt(query.get("timeoutSeconds"), "timeoutSeconds") || defaultTimeoutSeconds;
  const table = wantsTable(ctx.req.headers.accept);
  const includeObject = includeObjectParam(query.get("includeObject"));

  let initial: KubeObject[] = [];
  let from = Number(rvText || 0);
  if (rvText === "" || rvText === "0" || sendInitial) {
    const page = await listObjects(deps.resources, rt, info.namespace, { matches, limit: 0 });
    initial = page.items;
    from = page.revision;
  }

  res.writeHead(200, {
    "content-type": table ? tableContentType : "application/json",
    "cache-control": "no-cache, private",
    "transfer-encoding": "chunked",
  });
  res.flushHeaders();

  let columnsSent = false;
  let lastRevision = from;
  const send = (type: EventType, object: unknown) => {
    if (table && (type === "ADDED" || type === "MODIFIED" || type === "DELETED")) {
      object = buildTable(rt, [object as KubeObject], {
        now: deps.now(),
        includeObject,
        withColumns: !columnsSent,
      });
      columnsSent = true;
    }
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (revision: number, annotations?: Record<string, string>) =>
    send("BOOKMARK", {
      kind: rt.kind,
      apiVersion: apiVersionOf(rt),
      metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) },
    });

  for (const obj of initial) send("ADDED", obj);
  if (sendInitial) bookmark(from, { "k8s.io/initial-events-end": "true" });

  deps.metrics.watchers.inc({ group: rt.group, version: rt.version, kind: rt.kind });
  await new Promise<void>((resolve) => {
    let lastBookmark = Date.now();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      watch.close();
      deps.metrics.watchers.dec({ group: rt.group, version: rt.version, kind: rt.kind });
      res.end();
      resolve();
    };
    const timer = setTimeout(end, timeout * 1000);
    const prefix = deps.resources.keys.collection(rt, info.namespace);
    const watch = deps.resources.store.watch(prefix, from, {
      onEvent: (event) => {
        lastRevision = revisionOf(event);
        const out = translate(event);
        if (out) send(out.type, out.object);
      },
      onProgress: (revision) => {
        lastRevision = Math.max(lastRevision, revision);
        if (bookmarks && Date.now() - lastBookmark >= bookmarkEveryMs) {
          lastBookmark = Date.now();
          bookmark(lastRevision);
        }
      },
      onError: (err) => {
        const status = err instanceof CompactedError ? expired(err.message) : asApiError(err);
        send("ERROR", status.toStatus());
        end();
      },
    });
    res.on("close", end);
  });

  function translate(event: StoreEvent): { type: EventType; object: KubeObject } | undefined {
    if (event.type === "delete") {
      const old = toApiObject(rt, event.previous);
      if (!matches(old)) return undefined;
      old.metadata = { ...old.metadata, resourceVersion: String(event.revision) };
      return { type: "DELETED", object: old };
    }
    const now = toApiObject(rt, event.object);
    const before = event.previous ? matches(toApiObject(rt, event.previous)) : false;
    const after = matches(now);
    if (before && after) return { type: "MODIFIED", object: now };
    if (after) return { type: "ADDED", object: now };
    if (before) return { type: "DELETED", object: now };
    return undefined;
  }
}

function revisionOf(event: StoreEvent): number {
  return event.type === "delete" ? event.revision : event.object.modRevision;
}
