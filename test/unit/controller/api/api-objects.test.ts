import { expect } from "chai";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: "web" } },
  spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
  ...extra,
});

describe("controller API: objects (in-memory store)", () => {
  let api: MemoryApi;
  beforeEach(async () => {
    api = await startMemoryApi();
    const ns = await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    expect(ns.status, ns.text).to.equal(201);
  });
  afterEach(async () => api.close());

  it("creates with uid, timestamps, generation, resourceVersion and defaults; 409 on a second create", async () => {
    const res = await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"));
    expect(res.status, res.text).to.equal(201);
    const meta = res.body.metadata;
    expect(meta.uid).to.match(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.generation).to.equal(1);
    expect(Number(meta.resourceVersion)).to.be.greaterThan(0);
    expect(meta.namespace).to.equal("default");
    expect(res.body.spec.restartPolicy).to.equal("Always");
    expect(res.body.status.phase).to.equal("Pending");
    const again = await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"));
    expect(again.status).to.equal(409);
    expect(again.body).to.include({
      reason: "AlreadyExists",
      message: 'pods "web" already exists',
    });
  });

  it("names objects from generateName", async () => {
    const res = await api.request("POST", "/api/v1/namespaces/default/pods", {
      ...pod(""),
      metadata: { generateName: "web-" },
    });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.metadata.name).to.match(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("refuses a stale resourceVersion with 409 Conflict and takes the current one", async () => {
    const created = (
      await api.request("POST", "/api/v1/namespaces/default/configmaps", {
        metadata: { name: "cfg" },
        data: { a: "1" },
      })
    ).body;
    const fresh = await api.request("PUT", "/api/v1/namespaces/default/configmaps/cfg", {
      ...created,
      data: { a: "2" },
    });
    expect(fresh.status, fresh.text).to.equal(200);
    expect(fresh.body.metadata.resourceVersion).to.not.equal(created.metadata.resourceVersion);
    const stale = await api.request("PUT", "/api/v1/namespaces/default/configmaps/cfg", {
      ...created,
      data: { a: "3" },
    });
    expect(stale.status).to.equal(409);
    expect(stale.body.reason).to.equal("Conflict");
    expect(stale.body.message).to.equal(
      'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("lists with label and field selectors, refusing unsupported field labels", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("a"));
    await api.request("POST", "/api/v1/namespaces/default/pods", {
      ...pod("b"),
      metadata: { name: "b", labels: { app: "db" } },
    });
    const byLabel = await api.request(
      "GET",
      "/api/v1/namespaces/default/pods?labelSelector=app%20in%20(web)",
    );
    expect(byLabel.body.kind).to.equal("PodList");
    expect(
      byLabel.body.items.map((p: { metadata: { name: string } }) => p.metadata.name),
    ).to.deep.equal(["a"]);
    expect(byLabel.body.metadata.resourceVersion).to.match(/^\d+$/);
    const byField = await api.request(
      "GET",
      "/api/v1/pods?fieldSelector=metadata.name%3Db,spec.nodeName%3D",
    );
    expect(
      byField.body.items.map((p: { metadata: { name: string } }) => p.metadata.name),
    ).to.deep.equal(["b"]);
    const bad = await api.request("GET", "/api/v1/pods?fieldSelector=spec.foo%3Dx");
    expect(bad.status).to.equal(400);
    expect(bad.body.message).to.equal("field label not supported: spec.foo");
  });

  it("pages with limit and continue, reading one consistent snapshot", async () => {
    for (const n of ["p1", "p2", "p3", "p4", "p5"]) {
      await api.request("POST", "/api/v1/namespaces/default/pods", pod(n));
    }
    const names: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const res = await api.request(
        "GET",
        `/api/v1/namespaces/default/pods?limit=2${token ? `&continue=${token}` : ""}`,
      );
      expect(res.status, res.text).to.equal(200);
      names.push(...res.body.items.map((p: { metadata: { name: string } }) => p.metadata.name));
      token = res.body.metadata.continue ?? "";
      pages++;
    } while (token);
    expect(names).to.deep.equal(["p1", "p2", "p3", "p4", "p5"]);
    expect(pages).to.equal(3);
  });

  it("answers a Table when kubectl asks for one", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"));
    const res = await api.request("GET", "/api/v1/namespaces/default/pods", undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    });
    expect(res.headers["content-type"]).to.equal("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(res.body.kind).to.equal("Table");
    expect(
      res.body.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5),
    ).to.deep.equal(["Name", "Ready", "Status", "Restarts", "Age"]);
    expect(res.body.rows[0].cells.slice(0, 3)).to.deep.equal(["web", "0/1", "Pending"]);
    expect(res.body.rows[0].object.metadata.labels).to.deep.equal({ app: "web" });
  });

  it("patches by merge, JSON and strategic merge patch; a no-op patch keeps the resourceVersion", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"));
    const merge = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/pods/web",
      { metadata: { labels: { tier: "front" } } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(merge.status, merge.text).to.equal(200);
    expect(merge.body.metadata.labels).to.deep.equal({ app: "web", tier: "front" });
    const noop = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/pods/web",
      { metadata: { labels: { tier: "front" } } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(noop.body.metadata.resourceVersion).to.equal(merge.body.metadata.resourceVersion);
    const strategic = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/pods/web",
      { spec: { containers: [{ name: "c", image: "busybox:1.37" }] } },
      { "content-type": "application/strategic-merge-patch+json" },
    );
    expect(strategic.status, strategic.text).to.equal(200);
    expect(strategic.body.spec.containers).to.have.length(1);
    expect(strategic.body.spec.containers[0].image).to.equal("busybox:1.37");
    expect(strategic.body.spec.containers[0].imagePullPolicy).to.equal("IfNotPresent");
    const failedTest = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/pods/web",
      [{ op: "test", path: "/metadata/labels/app", value: "db" }],
      { "content-type": "application/json-patch+json" },
    );
    expect(failedTest.status).to.be.within(400, 422);
    const json = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/pods/web",
      [{ op: "remove", path: "/metadata/labels/tier" }],
      { "content-type": "application/json-patch+json" },
    );
    expect(json.body.metadata.labels).to.deep.equal({ app: "web" });
    const unsupported = await api.request("PATCH", "/api/v1/namespaces/default/pods/web", "{}", {
      "content-type": "text/plain",
    });
    expect(unsupported.status).to.equal(415);
  });

  it("keeps status out of main-resource updates and spec out of /status updates", async () => {
    const created = (await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"))).body;
    const main = await api.request("PUT", "/api/v1/namespaces/default/pods/web", {
      ...created,
      status: { phase: "Running" },
    });
    expect(main.status, main.text).to.equal(200);
    expect(main.body.status.phase).to.equal("Pending");
    const status = await api.request("PUT", "/api/v1/namespaces/default/pods/web/status", {
      ...main.body,
      metadata: { ...main.body.metadata, labels: { changed: "yes" } },
      status: { phase: "Running", podIP: "10.88.0.5" },
    });
    expect(status.status, status.text).to.equal(200);
    expect(status.body.status.phase).to.equal("Running");
    expect(status.body.metadata.labels).to.deep.equal({ app: "web" });
    const wide = await api.request("GET", "/api/v1/pods?fieldSelector=status.podIP%3D10.88.0.5");
    expect(wide.body.items).to.have.length(1);
  });

  it("takes a uid in a status patch as a precondition: another pod of that name is 422", async () => {
    const created = (await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"))).body;
    const smp = { "content-type": "application/strategic-merge-patch+json" };
    const path = "/api/v1/namespaces/default/pods/web/status";
    const mine = await api.request(
      "PATCH",
      path,
      { metadata: { uid: created.metadata.uid }, status: { phase: "Running" } },
      smp,
    );
    expect(mine.status, mine.text).to.equal(200);
    const other = await api.request(
      "PATCH",
      path,
      { metadata: { uid: "00000000-0000-0000-0000-000000000000" }, status: { phase: "Failed" } },
      smp,
    );
    expect(other.status, other.text).to.equal(422);
    expect(other.body.details.causes[0]).to.include({ field: "metadata.uid" });
    expect(other.body.message).to.include("field is immutable");
    const stored = await api.request("GET", "/api/v1/namespaces/default/pods/web");
    expect(stored.body.status.phase).to.equal("Running");
  });

  it("forbids changing a pod's spec beyond images with 422 naming spec", async () => {
    const created = (await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"))).body;
    created.spec.restartPolicy = "Never";
    const res = await api.request("PUT", "/api/v1/namespaces/default/pods/web", created);
    expect(res.status).to.equal(422);
    expect(res.body.reason).to.equal("Invalid");
    expect(res.body.details.causes[0]).to.include({ reason: "FieldValueForbidden", field: "spec" });
    expect(res.body.message).to.match(
      /^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields/,
    );
  });

  it("binds an unbound pod once, with PodScheduled; a second binding is 409", async () => {
    const created = (await api.request("POST", "/api/v1/namespaces/default/pods", pod("web"))).body;
    const binding = {
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name: "web", uid: created.metadata.uid },
      target: { kind: "Node", name: "node-1" },
    };
    const bound = await api.request("POST", "/api/v1/namespaces/default/pods/web/binding", binding);
    expect(bound.status, bound.text).to.equal(201);
    expect(bound.body).to.include({ kind: "Status", status: "Success" });
    const after = (await api.request("GET", "/api/v1/namespaces/default/pods/web")).body;
    expect(after.spec.nodeName).to.equal("node-1");
    expect(
      after.status.conditions.find((c: { type: string }) => c.type === "PodScheduled"),
    ).to.include({
      status: "True",
    });
    const again = await api.request("POST", "/api/v1/namespaces/default/bindings", {
      ...binding,
      target: { kind: "Node", name: "node-2" },
    });
    expect(again.status).to.equal(409);
    expect(again.body.message).to.include('pod web is already assigned to node "node-1"');
  });

  it("deletes unbound pods at once and bound ones gracefully, until the node deletes with grace 0", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("loose"));
    const loose = await api.request("DELETE", "/api/v1/namespaces/default/pods/loose");
    expect(loose.status, loose.text).to.equal(200);
    expect((await api.request("GET", "/api/v1/namespaces/default/pods/loose")).status).to.equal(
      404,
    );

    await api.request("POST", "/api/v1/namespaces/default/pods", pod("bound"));
    await api.request("POST", "/api/v1/namespaces/default/pods/bound/binding", {
      metadata: { name: "bound" },
      target: { name: "node-1" },
    });
    const graceful = await api.request("DELETE", "/api/v1/namespaces/default/pods/bound", {
      propagationPolicy: "Background",
    });
    expect(graceful.status).to.equal(200);
    expect(graceful.body.metadata.deletionTimestamp).to.be.a("string");
    expect(graceful.body.metadata.deletionGracePeriodSeconds).to.equal(30);
    expect((await api.request("GET", "/api/v1/namespaces/default/pods/bound")).status).to.equal(
      200,
    );
    const now = await api.request("DELETE", "/api/v1/namespaces/default/pods/bound", {
      gracePeriodSeconds: 0,
    });
    expect(now.status, now.text).to.equal(200);
    expect((await api.request("GET", "/api/v1/namespaces/default/pods/bound")).status).to.equal(
      404,
    );
  });

  it("holds an object with finalizers until the last one is removed", async () => {
    await api.request("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    const del = await api.request("DELETE", "/api/v1/namespaces/default/configmaps/held");
    expect(del.body.metadata.deletionTimestamp).to.be.a("string");
    expect(
      (await api.request("GET", "/api/v1/namespaces/default/configmaps/held")).status,
    ).to.equal(200);
    const release = await api.request(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/held",
      { metadata: { finalizers: null } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(release.status, release.text).to.equal(200);
    expect(
      (await api.request("GET", "/api/v1/namespaces/default/configmaps/held")).status,
    ).to.equal(404);
  });

  it("answers malformed bodies, unknown resources, bad names and oversized bodies with the right Status", async () => {
    const malformed = await api.request("POST", "/api/v1/namespaces/default/pods", "{not json");
    expect(malformed.status).to.equal(400);
    expect(malformed.body.kind).to.equal("Status");
    const unknown = await api.request("GET", "/api/v1/namespaces/default/widgets");
    expect(unknown.status).to.equal(404);
    const badName = await api.request("POST", "/api/v1/namespaces/default/pods", pod("Bad_Name"));
    expect(badName.status).to.equal(422);
    expect(badName.body.details.causes[0].field).to.equal("metadata.name");
    const big = await api.request("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "big" },
      data: { x: "y".repeat(3 * 1024 * 1024) },
    });
    expect(big.status).to.equal(413);
    const strict = await api.request(
      "POST",
      "/api/v1/namespaces/default/pods?fieldValidation=Strict",
      { ...pod("typo"), spec: { containers: [{ name: "c", image: "busybox", imagee: "x" }] } },
    );
    expect(strict.status).to.equal(400);
    expect(strict.body.message).to.equal(
      'strict decoding error: unknown field "spec.containers[0].imagee"',
    );
    const warned = await api.request(
      "POST",
      "/api/v1/namespaces/default/pods?fieldValidation=Warn",
      { ...pod("warned"), spec: { containers: [{ name: "c", image: "busybox", imagee: "x" }] } },
    );
    expect(warned.status).to.equal(201);
    expect(String(warned.headers.warning)).to.include(
      'unknown field \\"spec.containers[0].imagee\\"',
    );
    const noNs = await api.request("POST", "/api/v1/namespaces/nosuch/pods", pod("x"));
    expect(noNs.status).to.equal(404);
    expect(noNs.body.message).to.equal('namespaces "nosuch" not found');
  });

  it("serves deployments' scale subresource as autoscaling/v1 Scale", async () => {
    const created = await api.request("POST", "/apis/apps/v1/namespaces/default/deployments", {
      metadata: { name: "api" },
      spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.spec.replicas).to.equal(1);
    const scale = await api.request(
      "GET",
      "/apis/apps/v1/namespaces/default/deployments/api/scale",
    );
    expect(scale.body).to.deep.include({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 1 },
    });
    expect(scale.body.status.selector).to.equal("app=api");
    const patched = await api.request(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/api/scale",
      { spec: { replicas: 3 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(patched.status, patched.text).to.equal(200);
    const deployment = (
      await api.request("GET", "/apis/apps/v1/namespaces/default/deployments/api")
    ).body;
    expect(deployment.spec.replicas).to.equal(3);
    expect(deployment.metadata.generation).to.equal(2);
  });

  it("evicts a pod with 201 Success", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("victim"));
    const res = await api.request("POST", "/api/v1/namespaces/default/pods/victim/eviction", {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: "victim", namespace: "default" },
    });
    expect(res.status, res.text).to.equal(201);
    expect((await api.request("GET", "/api/v1/namespaces/default/pods/victim")).status).to.equal(
      404,
    );
  });

  it("keeps a service's cluster IP when an update leaves it out", async () => {
    const created = await api.request("POST", "/api/v1/namespaces/default/services", {
      metadata: { name: "svc" },
      spec: { clusterIP: "10.96.0.10", ports: [{ port: 80 }], selector: { app: "web" } },
    });
    expect(created.status, created.text).to.equal(201);
    const updated = await api.request("PUT", "/api/v1/namespaces/default/services/svc", {
      metadata: { name: "svc" },
      spec: { ports: [{ port: 81 }], selector: { app: "web" } },
    });
    expect(updated.status, updated.text).to.equal(200);
    expect(updated.body.spec.clusterIP).to.equal("10.96.0.10");
    expect(updated.body.spec.ports[0]).to.include({ port: 81, protocol: "TCP", targetPort: 81 });
  });
});
