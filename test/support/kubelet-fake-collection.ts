import type http from "node:http";
import { sendJson, sendStatus, type FakeApiRequest } from "./kubelet-fake-api.js";

export interface FakeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

interface Change {
  revision: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: FakeObject;
}

/**
 * One collection served with Kubernetes list+watch semantics, for reflector tests: a revision
 * counter, paged lists, watches that replay history after a resourceVersion, bookmarks, and
 * compaction (a watch from before it gets an ERROR 410 event, as from an API server).
 */
export class FakeCollection {
  revision = 100;
  private readonly objects = new Map<string, FakeObject>();
  private readonly history: Change[] = [];
  private compactedBelow = 0;
  private readonly watchers = new Set<{ from: number; res: http.ServerResponse }>();
  private readonly pages = new Map<string, FakeObject[]>();

  constructor(readonly namespace = "ns") {}

  put(name: string, data: Record<string, string> = {}): FakeObject {
    const type = this.objects.has(name) ? "MODIFIED" : "ADDED";
    const object: FakeObject = {
      metadata: { name, namespace: this.namespace, resourceVersion: String(++this.revision) },
      data,
    };
    this.objects.set(name, object);
    this.publish({ revision: this.revision, type, object });
    return object;
  }

  remove(name: string): void {
    const old = this.objects.get(name);
    if (!old) throw new Error(`no ${name}`);
    this.objects.delete(name);
    const object = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(++this.revision) },
    };
    this.publish({ revision: this.revision, type: "DELETED", object });
  }

  /** Sends a BOOKMARK at the current revision to every open watch. */
  bookmark(): void {
    for (const w of this.watchers) {
      this.write(w.res, "BOOKMARK", { metadata: { resourceVersion: String(this.revision) } });
    }
  }

  /** Forgets history: watches from an older resourceVersion now get 410. */
  compact(): void {
    this.compactedBelow = this.revision;
    this.history.length = 0;
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  /** Serves a list or watch request on the collection. */
  serve(req: FakeApiRequest, res: http.ServerResponse): void {
    if (req.query.get("watch") === "true") return this.watch(req, res);
    const limit = Number(req.query.get("limit") || 0);
    const token = req.query.get("continue");
    let remaining: FakeObject[];
    if (token) {
      const page = this.pages.get(token);
      if (!page) return sendStatus(res, 410, "Expired", "the continue token expired");
      remaining = page;
    } else {
      remaining = [...this.objects.values()].sort((a, b) =>
        a.metadata.name.localeCompare(b.metadata.name),
      );
    }
    const items = limit > 0 ? remaining.slice(0, limit) : remaining;
    const rest = remaining.slice(items.length);
    const next = rest.length > 0 ? `page-${this.pages.size + 1}` : undefined;
    if (next) this.pages.set(next, rest);
    sendJson(res, 200, {
      kind: "List",
      metadata: { resourceVersion: String(this.revision), ...(next ? { continue: next } : {}) },
      items,
    });
  }

  private watch(req: FakeApiRequest, res: http.ServerResponse): void {
    const from = Number(req.query.get("resourceVersion") || 0);
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    if (from < this.compactedBelow) {
      this.write(res, "ERROR", {
        kind: "Status",
        status: "Failure",
        code: 410,
        reason: "Expired",
        message: `too old resource version: ${from} (${this.compactedBelow})`,
      });
      res.end();
      return;
    }
    for (const change of this.history) {
      if (change.revision > from) this.write(res, change.type, change.object);
    }
    const watcher = { from, res };
    this.watchers.add(watcher);
    res.on("close", () => this.watchers.delete(watcher));
  }

  private publish(change: Change): void {
    this.history.push(change);
    for (const w of this.watchers) this.write(w.res, change.type, change.object);
  }

  private write(res: http.ServerResponse, type: string, object: unknown): void {
    res.write(`${JSON.stringify({ type, object })}\n`);
  }
}
