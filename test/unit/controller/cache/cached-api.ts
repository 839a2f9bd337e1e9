import http from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import { WatchCaches } from "../../../../controller/api/cache/watch-caches.js";
import type { ApiDeps } from "../../../../controller/api/context.js";
import { ApiMetrics } from "../../../../controller/api/metrics/api-metrics.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { createRequestHandler } from "../../../../controller/api/request-handler.js";
import { ResourceRegistry } from "../../../../controller/api/resource-registry.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import { CountingStore } from "./counting-store.js";

export interface Answer {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CachedApi {
  url: string;
  store: CountingStore;
  caches: WatchCaches;
  resources: ResourceStore;
  registry: ResourceRegistry;
  deps: ApiDeps;
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<Answer>;
  /** Resolves once every cache is ready and current. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API handler over an in-memory store with watch caches for every resource (as the
 * controller runs it), on plain HTTP, every request an admin's.
 */
export async function startCachedApi(capacity?: number): Promise<CachedApi> {
  const store = new CountingStore();
  const keys = new ObjectKeys();
  const logger = silentLogger();
  const registry = new ResourceRegistry(builtinResourceTypes);
  const caches = new WatchCaches(store, keys, logger, {
    capacity,
    relistDelayMs: 10,
    freezeObjects: true,
  });
  caches.start(registry.types);
  const resources = new ResourceStore(store, keys, caches);
  const metricsRegistry = createMetricsRegistry();
  const deps: ApiDeps = {
    resources,
    registry,
    logger,
    metrics: new ApiMetrics(metricsRegistry),
    now: () => new Date(),
    serverAddress: "127.0.0.1:0",
  };
  const handler = createRequestHandler({
    ...deps,
    metricsText: () => metricsRegistry.metrics(),
    authenticate: () => ({ name: "admin", groups: ["system:masters", "system:authenticated"] }),
    authorizer: { authorize: async () => ({ allowed: true, reason: "" }) },
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: CachedApi = {
    url,
    store,
    caches,
    resources,
    registry,
    deps,
    request: (method, path, body, contentType = "application/json") =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(`${url}${path}`, {
          method,
          headers: payload === undefined ? {} : { "content-type": contentType },
        });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (b: Buffer) => (text += b));
          res.on("end", () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, text, body: parsed });
          });
        });
        req.on("error", reject);
        req.end(payload);
      }),
    async settled() {
      // MemoryStore delivers changes as it writes them: a ready cache is current a tick later.
      const deadline = Date.now() + 3000;
      while (registry.types.some((rt) => !caches.for(rt).ready) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setImmediate(r));
    },
    async close() {
      caches.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  await api.settled();
  return api;
}
