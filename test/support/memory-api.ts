import http from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../../lib/logger.js";
import { createMetricsRegistry } from "../../lib/metrics.js";
import { ApiMetrics } from "../../controller/api/metrics/api-metrics.js";
import { ObjectKeys } from "../../controller/api/object-keys.js";
import { ResourceStore } from "../../controller/api/objects/resource-store.js";
import { createRequestHandler } from "../../controller/api/request-handler.js";
import { ResourceRegistry } from "../../controller/api/resource-registry.js";
import { builtinResourceTypes } from "../../controller/resources/registry.js";
import { MemoryStore } from "./memory-store.js";

export interface ApiAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface MemoryApi {
  url: string;
  store: MemoryStore;
  deps: ReturnType<typeof depsFor>;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  close(): Promise<void>;
}

function depsFor(store: MemoryStore, now: () => Date) {
  const registry = createMetricsRegistry();
  return {
    resources: new ResourceStore(store, new ObjectKeys()),
    registry: new ResourceRegistry(builtinResourceTypes),
    logger: silentLogger(),
    metrics: new ApiMetrics(registry),
    now,
    serverAddress: "127.0.0.1:0",
    metricsText: () => registry.metrics(),
  };
}

/**
 * The API handler over an in-memory store on plain HTTP, every request authenticated as an
 * admin: for unit tests of API semantics. TLS, auth, etcd and kubectl are integration tests.
 */
export async function startMemoryApi(now: () => Date = () => new Date()): Promise<MemoryApi> {
  const store = new MemoryStore();
  const deps = depsFor(store, now);
  const handler = createRequestHandler({
    ...deps,
    authenticate: () => ({ name: "admin", groups: ["system:masters", "system:authenticated"] }),
    authorizer: { authorize: async () => ({ allowed: true, reason: "" }) },
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    deps,
    request(method, path, body, headers = {}) {
      return new Promise((resolve, reject) => {
        const payload =
          body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const req = http.request(`${url}${path}`, {
          method,
          headers: {
            ...(payload !== undefined
              ? {
                  "content-type": "application/json",
                  "content-length": String(Buffer.byteLength(payload)),
                }
              : {}),
            ...headers,
          },
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
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
          });
        });
        req.on("error", reject);
        req.end(payload);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
