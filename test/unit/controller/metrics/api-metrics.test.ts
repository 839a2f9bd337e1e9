import { expect } from "chai";
import { unavailable } from "../../../../lib/errors.js";
import { createMetricsRegistry } from "../../../../lib/metrics.js";
import { ApiMetrics } from "../../../../controller/api/metrics/api-metrics.js";
import { instrumentStore } from "../../../../controller/api/metrics/instrumented-store.js";
import { builtinResourceTypes } from "../../../../controller/resources/registry.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { MemoryStore } from "../../../support/memory-store.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";
import { bucketBounds, sampleValue } from "../../../support/metrics-text.js";
import { promtoolFindings, requirePromtool } from "../../../support/promtool.js";

const object = (name: string): KubeObject => ({ metadata: { name } }) as KubeObject;

describe("apiserver_* and etcd_* metrics (kube-apiserver 1.27–1.33 names and labels)", () => {
  describe("etcd requests", () => {
    let registry: ReturnType<typeof createMetricsRegistry>;
    let metrics: ApiMetrics;
    const value = async (name: string, labels: Record<string, string>) =>
      sampleValue(await registry.metrics(), name, labels);

    beforeEach(() => {
      registry = createMetricsRegistry({ processMetrics: false });
      metrics = new ApiMetrics(registry);
    });

    it("labels each request with its operation and the resource as the apiserver names it", async () => {
      const store = instrumentStore(new MemoryStore(), metrics, builtinResourceTypes);
      await store.create("/registry/deployments/web/d", object("d"));
      await store.create("/registry/minions/n1", object("n1"));
      await store.get("/registry/pods/web/p");
      await store.list("/registry/leases/kube-node-lease/");
      for (const [operation, type] of [
        ["create", "deployments.apps"],
        ["create", "nodes"],
        ["get", "pods"],
        ["list", "leases.coordination.k8s.io"],
      ]) {
        expect(await value("etcd_requests_total", { operation, type }), type).to.equal(1);
        const count = await value("etcd_request_duration_seconds_count", { operation, type });
        expect(count, type).to.equal(1);
      }
      const text = await registry.metrics();
      expect(bucketBounds(text, "etcd_request_duration_seconds")).to.deep.equal([
        ...[0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2].map(String),
        ...[3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60].map(String),
        "+Inf",
      ]);
    });

    it("counts requests that got no answer as errors, not a failed compare or an existing key", async () => {
      const memory = new MemoryStore();
      const store = instrumentStore(memory, metrics, builtinResourceTypes);
      const key = "/registry/configmaps/web/c";
      await store.create(key, object("c"));
      await store.create(key, object("c")).catch(() => undefined);
      await store.update(key, object("c"), 999).catch(() => undefined);
      memory.get = () => Promise.reject(unavailable("etcd is down"));
      await store.get(key).catch(() => undefined);
      const labels = (operation: string) => ({ operation, type: "configmaps" });
      expect(await value("etcd_requests_total", labels("create"))).to.equal(2);
      expect(await value("etcd_request_errors_total", labels("create"))).to.equal(undefined);
      expect(await value("etcd_request_errors_total", labels("update"))).to.equal(undefined);
      expect(await value("etcd_request_errors_total", labels("get"))).to.equal(1);
    });

    it("reports stored objects per resource from the counts given, leaving unknown ones out", async () => {
      const types = builtinResourceTypes.filter((rt) =>
        ["pods", "deployments"].includes(rt.plural),
      );
      metrics.countStoredObjects(types, (rt) => (rt.plural === "pods" ? 7 : undefined));
      const text = await registry.metrics();
      expect(sampleValue(text, "apiserver_storage_objects", { resource: "pods" })).to.equal(7);
      expect(
        sampleValue(text, "apiserver_storage_objects", { resource: "deployments.apps" }),
      ).to.equal(undefined);
    });
  });

  describe("requests through the API handler", () => {
    let api: MemoryApi;
    beforeEach(async () => {
      api = await startMemoryApi();
      await api.request("POST", "/api/v1/namespaces", { metadata: { name: "web" } });
    });
    afterEach(() => api.close());

    it("counts a pod create as POST, scope resource, code 201, and times it", async () => {
      const pod = { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i" }] } };
      expect((await api.request("POST", "/api/v1/namespaces/web/pods", pod)).status).to.equal(201);
      expect((await api.request("POST", "/api/v1/namespaces/web/pods", pod)).status).to.equal(409);
      const text = await api.deps.metricsText();
      const labels = {
        verb: "POST",
        dry_run: "",
        group: "",
        version: "v1",
        resource: "pods",
        subresource: "",
        scope: "resource",
        component: "apiserver",
      };
      expect(sampleValue(text, "apiserver_request_total", { ...labels, code: "201" })).to.equal(1);
      expect(sampleValue(text, "apiserver_request_total", { ...labels, code: "409" })).to.equal(1);
      expect(sampleValue(text, "apiserver_request_duration_seconds_count", labels)).to.equal(2);
    });

    it("counts an open watch as long-running until it ends, then times it", async () => {
      const controller = new AbortController();
      const watching = fetch(`${api.url}/api/v1/namespaces/web/pods?watch=true`, {
        signal: controller.signal,
      });
      const response = await watching;
      const labels = {
        verb: "WATCH",
        group: "",
        version: "v1",
        resource: "pods",
        subresource: "",
        scope: "namespace",
        component: "apiserver",
      };
      expect(
        sampleValue(await api.deps.metricsText(), "apiserver_longrunning_requests", labels),
      ).to.equal(1);
      controller.abort();
      await response.body?.cancel().catch(() => undefined);
      const deadline = Date.now() + 2000;
      let open: number | undefined = 1;
      while (open !== 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        open = sampleValue(await api.deps.metricsText(), "apiserver_longrunning_requests", labels);
      }
      expect(open).to.equal(0);
      const text = await api.deps.metricsText();
      const timed = { ...labels, dry_run: "" };
      expect(sampleValue(text, "apiserver_request_duration_seconds_count", timed)).to.equal(1);
    });

    it("uses the apiserver's buckets and passes promtool check metrics", async function () {
      await api.request("GET", "/api/v1/namespaces/web/pods");
      await api.request("GET", "/readyz");
      const text = await api.deps.metricsText();
      const buckets = [
        "0.005", "0.025", "0.05", "0.1", "0.2", "0.4", "0.6", "0.8", "1", "1.25", "1.5", "2",
        "3", "4", "5", "6", "8", "10", "15", "20", "30", "45", "60", "+Inf",
      ]; // prettier-ignore
      expect(bucketBounds(text, "apiserver_request_duration_seconds")).to.deep.equal(buckets);
      expect(
        sampleValue(text, "apiserver_request_total", {
          verb: "GET",
          dry_run: "",
          group: "",
          version: "",
          resource: "",
          subresource: "/readyz",
          scope: "",
          component: "",
          code: "200",
        }),
      ).to.equal(1);
      requirePromtool(this);
      expect(await promtoolFindings(text)).to.equal("");
    });
  });
});
