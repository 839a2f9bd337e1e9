import { expect } from "chai";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import type { RequestAttributes } from "../../../../controller/auth/auth-api.js";
import { ApiMetrics } from "../../../../controller/api/metrics/api-metrics.js";
import {
  defaultPreferredAddressTypes,
  type NodeStreamingConfig,
} from "../../../../controller/api/node-proxy/node-streaming-config.js";
import { upgradeListener } from "../../../../controller/api/node-proxy/upgrade-listener.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { createRequestHandler } from "../../../../controller/api/request-handler.js";
import { ResourceRegistry } from "../../../../controller/api/resource-registry.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import { MemoryStore } from "../../../support/memory-store.js";

const streaming: NodeStreamingConfig = {
  tls: { cert: "", key: "" },
  preferredAddressTypes: defaultPreferredAddressTypes,
  defaultPort: 10250,
  dialTimeoutMs: 2000,
};

/** The API handler on plain HTTP with upgrades wired as the controller wires them. */
async function startApi(options: { streaming?: NodeStreamingConfig; user: string }) {
  const registry = new ResourceRegistry(builtinResourceTypes);
  const resources = new ResourceStore(new MemoryStore(), new ObjectKeys());
  const asked: RequestAttributes[] = [];
  const handler = createRequestHandler({
    resources,
    registry,
    logger: silentLogger(),
    metrics: new ApiMetrics(createMetricsRegistry()),
    now: () => new Date(),
    serverAddress: "127.0.0.1:0",
    streaming: options.streaming,
    metricsText: async () => "",
    authenticate: () => ({ name: options.user, groups: ["system:authenticated"] }),
    // The reader may get anything and create nothing; the admin may do anything.
    authorizer: {
      async authorize(a) {
        asked.push(a);
        const allowed = options.user === "admin" || a.verb === "get" || a.verb === "list";
        return { allowed, reason: "" };
      },
    },
  });
  const server = http.createServer(handler);
  server.on("upgrade", upgradeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const create = (plural: string, namespace: string, obj: Record<string, unknown>) =>
    resources.create(registry.find("", "v1", plural)!, namespace, obj as never);
  await create("nodes", "", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "closed" },
    status: {
      addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
      daemonEndpoints: { kubeletEndpoint: { Port: await closedPort() } },
    },
  });
  for (const [name, nodeName] of [
    ["web", "closed"],
    ["pending", ""],
  ]) {
    await create("pods", "ns", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "ns" },
      spec: { nodeName, containers: [{ name: "app", image: "busybox" }] },
    });
  }
  return {
    port: (server.address() as AddressInfo).port,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Sends a raw request and reads the whole answer until the server closes. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(head));
    let text = "";
    socket.on("data", (b: Buffer) => (text += b));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

const websocketExec = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
  "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";

const statusOf = (answer: string) => ({
  code: Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]),
  status: JSON.parse(answer.slice(answer.indexOf("{"), answer.lastIndexOf("}") + 1)),
});

describe("pods/log, exec, attach and portforward in the API handler", () => {
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("requires create on pods/exec for a WebSocket GET, after get", async () => {
    api = await startApi({ streaming, user: "reader" });
    const answer = statusOf(
      await raw(api.port, websocketExec("/api/v1/namespaces/ns/pods/web/exec?command=id&stdout=1")),
    );
    expect(answer.code).to.equal(403);
    expect(answer.status.message).to.equal(
      'pods "web" is forbidden: User "reader" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
    );
    expect(api.asked.map((a) => `${a.verb} ${a.resource}/${a.subresource}`)).to.deep.equal([
      "get pods/exec",
      "create pods/exec",
    ]);
  });

  it("answers an upgrade's failures as ordinary HTTP answers that close the connection", async () => {
    api = await startApi({ streaming, user: "admin" });
    const dial = await raw(
      api.port,
      websocketExec("/api/v1/namespaces/ns/pods/web/attach?stdout=1"),
    );
    expect(dial).to.match(/^HTTP\/1\.1 500 /);
    expect(dial).to.match(/\r\nConnection: close\r\n/i);
    expect(statusOf(dial).status.message).to.match(
      /^error dialing backend: node closed \(127\.0\.0\.1:\d+\): .*ECONNREFUSED/,
    );
    const unbound = statusOf(
      await raw(api.port, websocketExec("/api/v1/namespaces/ns/pods/pending/portforward")),
    );
    expect([unbound.code, unbound.status.message]).to.deep.equal([
      400,
      "pod pending does not have a host assigned",
    ]);
  });

  it("serves other requests that carry an Upgrade header as usual", async () => {
    api = await startApi({ streaming, user: "admin" });
    const list = await raw(api.port, websocketExec("/api/v1/namespaces/ns/pods"));
    expect(list).to.match(/^HTTP\/1\.1 200 /);
    expect(list).to.include('"kind":"PodList"');
  });

  it("needs an upgrade for exec, and answers an unbound pod's log with nothing", async () => {
    api = await startApi({ streaming, user: "admin" });
    const plain = statusOf(
      await raw(
        api.port,
        "GET /api/v1/namespaces/ns/pods/web/exec?command=id HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
      ),
    );
    expect([plain.code, plain.status.message]).to.deep.equal([400, "Upgrade request required"]);
    const log = await raw(
      api.port,
      "GET /api/v1/namespaces/ns/pods/pending/log HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
    );
    expect(log).to.match(/^HTTP\/1\.1 200 /);
    expect(log).to.match(/\r\n\r\n$/);
  });

  it("answers 503 when the controller has no way to reach agents", async () => {
    api = await startApi({ user: "admin" });
    const answer = statusOf(
      await raw(
        api.port,
        "GET /api/v1/namespaces/ns/pods/web/log HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n",
      ),
    );
    expect(answer.code).to.equal(503);
    expect(answer.status.message).to.match(/no kubelet client certificate/);
  });
});
