import { expect } from "chai";
import http from "node:http";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

interface WatchStream {
  events: {
    type: string;
    object: {
      metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
      code?: number;
      reason?: string;
    };
  }[];
  next(count: number): Promise<WatchStream["events"]>;
  ended: Promise<void>;
  close(): void;
}

function watch(api: MemoryApi, path: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${api.url}${path}`, (res) => {
      const stream: WatchStream = {
        events: [],
        next: async (count) => {
          const deadline = Date.now() + 3000;
          while (stream.events.length < count && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 10));
          }
          return stream.events.slice(0, count);
        },
        ended: new Promise((r) => res.on("end", () => r())),
        close: () => req.destroy(),
      };
      let buffer = "";
      res.on("data", (b: Buffer) => {
        buffer += b;
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          stream.events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      });
      expect(res.statusCode).to.equal(200);
      resolve(stream);
    });
    req.on("error", reject);
  });
}

const cm = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  data: { k: name },
});

describe("controller API: watch (in-memory store)", () => {
  let api: MemoryApi;
  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
  });
  afterEach(async () => api.close());

  it("starts with ADDED for what exists at resourceVersion=0, then follows changes in order", async () => {
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("one"));
    const w = await watch(
      api,
      "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0",
    );
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("two"));
    await api.request(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/two",
      { data: { k: "2" } },
      { "content-type": "application/merge-patch+json" },
    );
    const deleted = await api.request("DELETE", "/api/v1/namespaces/default/configmaps/one");
    const events = await w.next(4);
    w.close();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).to.deep.equal([
      "ADDED one",
      "ADDED two",
      "MODIFIED two",
      "DELETED one",
    ]);
    expect(Number(events[3].object.metadata.resourceVersion)).to.be.greaterThan(
      Number(deleted.body.metadata.resourceVersion),
    );
  });

  it("sends only changes after a given resourceVersion", async () => {
    const first = await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("old"));
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("new"));
    const w = await watch(
      api,
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    const events = await w.next(1);
    w.close();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).to.deep.equal(["ADDED new"]);
  });

  it("turns objects leaving and entering the selector into DELETED and ADDED", async () => {
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("x", { tier: "a" }));
    const w = await watch(
      api,
      "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Da",
    );
    const label = (value: string) =>
      api.request(
        "PATCH",
        "/api/v1/namespaces/default/configmaps/x",
        { metadata: { labels: { tier: value } } },
        { "content-type": "application/merge-patch+json" },
      );
    await label("b");
    await label("a");
    const events = await w.next(3);
    w.close();
    expect(events.map((e) => e.type)).to.deep.equal(["ADDED", "DELETED", "ADDED"]);
  });

  it("answers a compacted resourceVersion with an ERROR 410 Expired and ends the stream", async () => {
    const first = await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("a"));
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("b"));
    api.store.compact();
    const w = await watch(
      api,
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    await w.ended;
    expect(w.events).to.have.length(1);
    expect(w.events[0].type).to.equal("ERROR");
    expect(w.events[0].object).to.include({ code: 410, reason: "Expired" });
  });

  it("serves initial events ending with an annotated BOOKMARK for sendInitialEvents", async () => {
    await api.request("POST", "/api/v1/namespaces/default/configmaps", cm("a"));
    const w = await watch(
      api,
      "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
    );
    const events = await w.next(2);
    w.close();
    expect(events[0].type).to.equal("ADDED");
    expect(events[1].type).to.equal("BOOKMARK");
    expect(events[1].object.metadata.annotations).to.deep.equal({
      "k8s.io/initial-events-end": "true",
    });
  });

  it("ends the stream after timeoutSeconds", async () => {
    const w = await watch(api, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
    const started = Date.now();
    await w.ended;
    expect(Date.now() - started).to.be.within(800, 2500);
  });
});
