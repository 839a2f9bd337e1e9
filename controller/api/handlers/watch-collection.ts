import type { KubeObject } from "../../resources/kube-object.js";
import { CompactedError } from "../../storage/store.js";
import type { ObjectChange } from "../cache/object-change.js";
import { watchChanges, type ChangeWatch } from "../cache/watch-changes.js";
import type { RequestContext } from "../context.js";
import { apiVersionOf } from "../objects/api-object.js";
import { listObjects } from "../objects/list-objects.js";
import { asApiError, badRequest, expired } from "../status.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";
import { nonNegativeInt } from "./list-collection.js";
import { selectorMatcher } from "./selector-query.js";

type EventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

const defaultTimeoutSeconds = 1800;
const bookmarkEveryMs = 10_000;
/**
 * A client this far behind (bytes written but not yet taken by its socket) is cut off, as
 * kube-apiserver cuts off unresponsive watchers: it resumes from the last resourceVersion it read
 * instead of the server buffering without bound.
 */
const maxBufferedBytes = 64 * 1024 * 1024;

/**
 * A watch: one JSON event per line on a chunked 200, flushed as it happens. resourceVersion
 * unset or 0 starts with ADDED for every current match; an object moving out of (into) the
 * selector is DELETED (ADDED); a compacted revision is an ERROR 410 Expired.
 *
 * Changes come from the watch cache when it holds the requested revision (one etcd watch per
 * resource, each change encoded once for every watch sending it as JSON), else from an etcd
 * watch of this request's own. Initial events for resourceVersion=0 are the cache's objects;
 * for an unset resourceVersion they are a consistent read from etcd.
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
    const page = await listObjects(deps.resources, rt, info.namespace, {
      matches,
      limit: 0,
      notOlderThan: rvText === "" ? undefined : from,
    });
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
  let corked = false;
  // Changes arrive in bursts (one etcd response, a ring replay): one TLS record and syscall each.
  const write = (line: string) => {
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(() => {
        corked = false;
        res.uncork();
      });
    }
    res.write(line);
  };
  const send = (type: EventType, object: unknown, json?: () => string) => {
    if (table && (type === "ADDED" || type === "MODIFIED" || type === "DELETED")) {
      const rows = buildTable(rt, [object as KubeObject], {
        now: deps.now(),
        includeObject,
        withColumns: !columnsSent,
      });
      columnsSent = true;
      write(`${JSON.stringify({ type, object: rows })}\n`);
      return;
    }
    const encoded = json ? json() : JSON.stringify(object);
    write(`{"type":"${type}","object":${encoded}}\n`);
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
    // Set once watchChanges returns; the ring's changes may end the watch before that.
    const opened: { watch?: ChangeWatch } = {};
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      opened.watch?.close();
      deps.metrics.watchers.dec({ group: rt.group, version: rt.version, kind: rt.kind });
      res.end();
      resolve();
    };
    const timer = setTimeout(end, timeout * 1000);
    res.on("close", end);
    opened.watch = watchChanges(deps.resources, rt, info.namespace, from, {
      change: (change) => {
        if (ended) return;
        lastRevision = change.revision;
        const type = eventType(change);
        if (type) send(type, change.sent, () => change.json());
        if (res.writableLength > maxBufferedBytes) {
          deps.logger.warn("ending a watch whose client does not keep up", {
            resource: rt.plural,
            namespace: info.namespace,
            bufferedBytes: res.writableLength,
          });
          end();
        }
      },
      progress: (revision) => {
        if (ended) return;
        lastRevision = Math.max(lastRevision, revision);
        if (bookmarks && Date.now() - lastBookmark >= bookmarkEveryMs) {
          lastBookmark = Date.now();
          bookmark(lastRevision);
        }
      },
      end: (err) => {
        if (ended) return;
        if (err) {
          const status = err instanceof CompactedError ? expired(err.message) : asApiError(err);
          send("ERROR", status.toStatus());
        }
        end();
      },
    });
    if (ended) opened.watch.close();
  });

  /** The event a change is to this watch's selector, if any. */
  function eventType(change: ObjectChange): EventType | undefined {
    if (change.type === "delete") return matches(change.object) ? "DELETED" : undefined;
    const before = change.previous ? matches(change.previous) : false;
    const after = matches(change.object);
    if (before && after) return "MODIFIED";
    if (after) return "ADDED";
    if (before) return "DELETED";
    return undefined;
  }
}
