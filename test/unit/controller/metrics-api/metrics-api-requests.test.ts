import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Authorizer, RequestAttributes } from "../../../../controller/auth/auth-api.js";
import { metricsApiResourceTypes } from "../../../../controller/api/metrics-api/metrics-api.js";
import type { SummarySource } from "../../../../controller/api/metrics-api/summary-client.js";
import { ApiMetrics } from "../../../../controller/api/metrics/api-metrics.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { createRequestHandler } from "../../../../controller/api/request-handler.js";
import { ResourceRegistry } from "../../../../controller/api/resource-registry.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import { silentLogger } from "../../../../lib/logger.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import { MemoryStore } from "../../../support/memory-store.js";
import { readyNode, runningPod, summaryBody } from "./metrics-fixtures.js";

const aggregatedAccept =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const MiB = 1024 * 1024;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The API handler over an in-memory store with metrics.k8s.io served from `summaries`. */
async function startApi(summaries: SummarySource | undefined, authorizer?: Authorizer) {
  // Every request scrapes (nothing is fresh), so a node going down shows at once.
  const metricsRegistry = createMetricsRegistry();
  const handler = createRequestHandler({
    resources: new ResourceStore(new MemoryStore(), new ObjectKeys()),
    registry: new ResourceRegistry([
      ...builtinResourceTypes,
      ...metricsApiResourceTypes({
        summaries,
        logger: silentLogger(),
        cache: { coldWindowMs: 20, freshMs: 0 },
      }),
    ]),
    logger: silentLogger(),
    metrics: new ApiMetrics(metricsRegistry),
    now: () => new Date(),
    serverAddress: "127.0.0.1:0",
    metricsText: () => metricsRegistry.metrics(),
    authenticate: () => ({ name: "admin", groups: ["system:masters", "system:authenticated"] }),
    authorizer: authorizer ?? { authorize: async () => ({ allowed: true, reason: "" }) },
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = (method: string, path: string, body?: unknown, headers = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(`${base}${path}`, {
        method,
        headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (b: Buffer) => (text += b));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      });
      req.on("error", reject);
      req.end(payload);
    });
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { request, close };
}

describe("metrics API: requests through the API handler (in-memory store, fake agents)", () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  const down = new Set<string>();
  let tick = 0;
  /** The uids the API gave the pods, which the fake agents report. */
  const uids = new Map<string, string>();
  const summaries: SummarySource = async (node) => {
    const name = node.metadata!.name!;
    if (down.has(name)) throw new Error("connect ECONNREFUSED");
    tick++;
    const pods = [
      runningPod("team-a", "web-1", "n1", ["app"]),
      runningPod("team-a", "db-1", "n1", ["db"]),
      runningPod("team-b", "web-2", "n2", ["app", "sidecar"]),
    ]
      .filter((p) => p.spec.nodeName === name)
      .map((p) => ({
        namespace: p.metadata.namespace,
        name: p.metadata.name,
        uid: uids.get(`${p.metadata.namespace}/${p.metadata.name}`) ?? "",
        containers: p.spec.containers.map((c) => ({
          name: c.name,
          cpuNs: tick * 1e9,
          workingSet: 8 * MiB,
        })),
      }));
    return summaryBody({ nodeName: name, nodeCpuNs: tick * 4e9, nodeWorkingSet: 256 * MiB, pods });
  };

  before(async () => {
    api = await startApi(summaries);
    for (const node of [
      readyNode("n1", { pool: "blue" }),
      readyNode("n2", { pool: "green" }),
      readyNode("n3", { pool: "green" }),
      readyNode("n4", { pool: "blue" }, false),
    ]) {
      expect((await api.request("POST", "/api/v1/nodes", node)).status).to.equal(201);
    }
    for (const ns of ["team-a", "team-b"]) {
      const res = await api.request("POST", "/api/v1/namespaces", { metadata: { name: ns } });
      expect(res.status).to.equal(201);
    }
    const pods = [
      runningPod("team-a", "web-1", "n1", ["app"], { app: "web" }),
      runningPod("team-a", "db-1", "n1", ["db"], { app: "db" }),
      runningPod("team-b", "web-2", "n2", ["app", "sidecar"], { app: "web" }),
    ];
    for (const pod of pods) {
      const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods`;
      // The API drops a new pod's status; it is written through /status as a kubelet would.
      const created = await api.request("POST", path, pod);
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      uids.set(`${pod.metadata.namespace}/${pod.metadata.name}`, created.body.metadata.uid);
      const withStatus = { ...created.body, status: { phase: "Running" } };
      const res = await api.request("PUT", `${path}/${pod.metadata.name}/status`, withStatus);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
  });
  after(() => api.close());
  afterEach(() => down.clear());

  it("lists metrics.k8s.io in legacy discovery, get and list only, with kinds and scopes", async () => {
    const groups = await api.request("GET", "/apis");
    const group = groups.body.groups.find((g: { name: string }) => g.name === "metrics.k8s.io");
    expect(group).to.deep.equal({
      name: "metrics.k8s.io",
      versions: [{ groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" }],
      preferredVersion: { groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" },
    });
    const list = await api.request("GET", "/apis/metrics.k8s.io/v1beta1");
    expect(list.body.groupVersion).to.equal("metrics.k8s.io/v1beta1");
    expect(list.body.resources).to.deep.equal([
      {
        name: "nodes",
        singularName: "",
        namespaced: false,
        kind: "NodeMetrics",
        verbs: ["get", "list"],
      },
      {
        name: "pods",
        singularName: "",
        namespaced: true,
        kind: "PodMetrics",
        verbs: ["get", "list"],
      },
    ]);
  });

  it("lists metrics.k8s.io in aggregated discovery", async () => {
    const res = await api.request("GET", "/apis", undefined, { accept: aggregatedAccept });
    const group = res.body.items.find(
      (g: { metadata: { name: string } }) => g.metadata.name === "metrics.k8s.io",
    );
    const resources = group.versions[0].resources;
    expect(group.versions.map((v: { version: string }) => v.version)).to.deep.equal(["v1beta1"]);
    expect(resources.map((r: object) => ({ ...r, singularResource: undefined }))).to.deep.equal([
      {
        resource: "nodes",
        responseKind: { group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics" },
        scope: "Cluster",
        singularResource: undefined,
        verbs: ["get", "list"],
      },
      {
        resource: "pods",
        responseKind: { group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics" },
        scope: "Namespaced",
        singularResource: undefined,
        verbs: ["get", "list"],
      },
    ]);
  });

  it("lists NodeMetrics of the Ready nodes, filtered by label and field selectors", async () => {
    const all = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes");
    expect(all.status).to.equal(200);
    expect(all.body).to.include({ kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1" });
    const names = (a: Answer) =>
      a.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(names(all)).to.deep.equal(["n1", "n2", "n3"]);
    expect(all.body.items[0].usage.memory).to.equal("256Mi");
    expect(all.body.items[0].usage.cpu).to.match(/^\d+(n|u|m)?$/);
    const green = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=pool%3Dgreen",
    );
    expect(names(green)).to.deep.equal(["n2", "n3"]);
    const n3 = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=metadata.name%3Dn3",
    );
    expect(names(n3)).to.deep.equal(["n3"]);
    const bad = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=spec.unschedulable%3Dtrue",
    );
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.match(/field label not supported: spec.unschedulable/);
  });

  it("skips a node whose agent does not answer instead of failing the list", async () => {
    down.add("n2");
    const res = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes");
    expect(res.status).to.equal(200);
    const names = res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(names).to.not.include("n2");
    const one = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n2");
    expect(one.status).to.equal(404);
    expect(one.body.message).to.equal('nodes.metrics.k8s.io "n2" not found');
  });

  it("gets one node's metrics, and 404 for a node that does not exist or is not Ready", async () => {
    const n1 = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1");
    expect(n1.status).to.equal(200);
    expect(n1.body).to.include({ kind: "NodeMetrics", apiVersion: "metrics.k8s.io/v1beta1" });
    expect(n1.body.metadata).to.include({ name: "n1" });
    expect(n1.body.metadata.labels).to.deep.equal({ pool: "blue" });
    expect(n1.body.window).to.match(/^[\d.]+m?s$/);
    for (const name of ["nosuch", "n4"]) {
      const res = await api.request("GET", `/apis/metrics.k8s.io/v1beta1/nodes/${name}`);
      expect(res.status, name).to.equal(404);
    }
  });

  it("lists PodMetrics in a namespace and across all, filtered by labels", async () => {
    const inA = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods");
    expect(inA.body.kind).to.equal("PodMetricsList");
    const keys = (a: Answer) =>
      a.body.items.map(
        (i: { metadata: { namespace: string; name: string } }) =>
          `${i.metadata.namespace}/${i.metadata.name}`,
      );
    expect(keys(inA)).to.deep.equal(["team-a/db-1", "team-a/web-1"]);
    const all = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/pods");
    expect(keys(all)).to.deep.equal(["team-a/db-1", "team-a/web-1", "team-b/web-2"]);
    const web = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Dweb",
    );
    expect(keys(web)).to.deep.equal(["team-a/web-1", "team-b/web-2"]);
    const notDb = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%20notin%20(db)&fieldSelector=metadata.namespace%3Dteam-b",
    );
    expect(keys(notDb)).to.deep.equal(["team-b/web-2"]);
    const web2 = all.body.items[2];
    expect(web2.containers.map((c: { name: string }) => c.name)).to.deep.equal(["app", "sidecar"]);
    expect(web2.containers[0].usage.memory).to.equal("8Mi");
  });

  it("gets one pod's metrics; 404 for a missing pod, and for one whose node is down", async () => {
    const pod = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods/web-1",
    );
    expect(pod.status).to.equal(200);
    expect(pod.body.metadata).to.include({ name: "web-1", namespace: "team-a" });
    const missing = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods/nosuch",
    );
    expect(missing.status).to.equal(404);
    expect(missing.body.message).to.equal('pods "nosuch" not found');
    down.add("n2");
    const gone = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/namespaces/team-b/pods/web-2",
    );
    expect(gone.status).to.equal(404);
    expect(gone.body.message).to.equal('pods.metrics.k8s.io "team-b/web-2" not found');
    const list = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/pods");
    expect(list.status).to.equal(200);
    expect(
      list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ).to.deep.equal(["db-1", "web-1"]);
  });

  it("answers a Table for kubectl get, with the pod's usage summed over its containers", async () => {
    const res = await api.request(
      "GET",
      "/apis/metrics.k8s.io/v1beta1/namespaces/team-b/pods",
      undefined,
      {
        accept: tableAccept,
      },
    );
    expect(res.headers["content-type"]).to.equal("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(res.body.columnDefinitions.map((c: { name: string }) => c.name)).to.deep.equal([
      "Name",
      "cpu",
      "memory",
      "Window",
    ]);
    expect(res.body.rows[0].cells[0]).to.equal("web-2");
    expect(res.body.rows[0].cells[2]).to.equal("16Mi");
    expect(res.body.rows[0].object.metadata).to.include({ name: "web-2", namespace: "team-b" });
  });

  it("refuses writes and watches", async () => {
    const post = await api.request("POST", "/apis/metrics.k8s.io/v1beta1/nodes", {
      metadata: { name: "x" },
    });
    expect(post.status).to.equal(405);
    const watch = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/pods?watch=true");
    expect(watch.status).to.equal(405);
    const del = await api.request(
      "DELETE",
      "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods/web-1",
    );
    expect(del.status).to.equal(405);
  });

  it("authorizes get and list on nodes.metrics.k8s.io and pods.metrics.k8s.io like any resource", async () => {
    const asked: RequestAttributes[] = [];
    const guarded = await startApi(summaries, {
      async authorize(attributes) {
        asked.push(attributes);
        const allowed = attributes.resource === "nodes";
        return { allowed, reason: allowed ? "" : "no rule" };
      },
    });
    try {
      // An empty store behind it: allowed requests find nothing, denied ones never look.
      const nodes = await guarded.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1");
      expect(nodes.status).to.equal(404);
      const pods = await guarded.request(
        "GET",
        "/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods",
      );
      expect(pods.status).to.equal(403);
      expect(pods.body.message).to.match(
        /cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "team-a"/,
      );
      expect(asked.map((a) => [a.verb, a.apiGroup, a.resource, a.namespace, a.name])).to.deep.equal(
        [
          ["get", "metrics.k8s.io", "nodes", "", "n1"],
          ["list", "metrics.k8s.io", "pods", "team-a", ""],
        ],
      );
    } finally {
      await guarded.close();
    }
  });

  it("answers 503 naming the missing certificate when agents cannot be read", async () => {
    const blind = await startApi(undefined);
    try {
      const res = await blind.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes");
      expect(res.status).to.equal(503);
      expect(res.body.message).to.match(/kubelet client certificate/);
    } finally {
      await blind.close();
    }
  });
});
