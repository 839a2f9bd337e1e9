import { expect } from "chai";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

const aggregatedAccept =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

describe("controller API: discovery, OpenAPI, version (in-memory store)", () => {
  let api: MemoryApi;
  before(async () => (api = await startMemoryApi()));
  after(async () => api.close());

  it("reports a 1.32 version", async () => {
    const res = await api.request("GET", "/version?timeout=5s");
    expect(res.body).to.include({ major: "1", minor: "32" });
    expect(res.body.gitVersion).to.match(/^v1\.32\.\d+/);
  });

  it("serves aggregated discovery with the Content-Type kubectl decides by, v2beta1 for older clients", async () => {
    const res = await api.request("GET", "/api", undefined, { accept: aggregatedAccept });
    expect(res.headers["content-type"]).to.equal(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    );
    const core = res.body.items[0];
    expect(core.metadata.name).to.equal("");
    const pods = core.versions[0].resources.find(
      (r: { resource: string }) => r.resource === "pods",
    );
    expect(pods).to.deep.include({
      scope: "Namespaced",
      singularResource: "pod",
      shortNames: ["po"],
    });
    expect(
      pods.subresources.find((s: { subresource: string }) => s.subresource === "eviction")
        .responseKind,
    ).to.deep.equal({
      group: "policy",
      version: "v1",
      kind: "Eviction",
    });
    const old = await api.request("GET", "/apis", undefined, {
      accept:
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
    });
    expect(old.headers["content-type"]).to.include("v=v2beta1");
    expect(
      old.body.items.map((g: { metadata: { name: string } }) => g.metadata.name),
    ).to.include.members(["apps", "coordination.k8s.io"]);
  });

  it("serves legacy discovery with pods/eviction in /api/v1 and deployments/scale as autoscaling/v1", async () => {
    const api1 = (await api.request("GET", "/api")).body;
    expect(api1).to.include({ kind: "APIVersions" });
    const v1 = (await api.request("GET", "/api/v1")).body;
    expect(v1.resources.find((r: { name: string }) => r.name === "pods/eviction")).to.deep.include({
      kind: "Eviction",
      group: "policy",
      version: "v1",
    });
    const apps = (await api.request("GET", "/apis/apps/v1")).body;
    expect(
      apps.resources.find((r: { name: string }) => r.name === "deployments/scale"),
    ).to.deep.include({
      kind: "Scale",
      group: "autoscaling",
      version: "v1",
    });
    const groups = (await api.request("GET", "/apis")).body;
    expect(groups.kind).to.equal("APIGroupList");
  });

  it("serves OpenAPI v3 with a PATCH operation per kind, and 404 for /openapi/v2", async () => {
    const index = (await api.request("GET", "/openapi/v3")).body;
    const url = index.paths["api/v1"].serverRelativeURL;
    expect(url).to.match(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = (await api.request("GET", url)).body;
    const patch = doc.paths["/api/v1/namespaces/{namespace}/pods/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).to.deep.equal({
      group: "",
      version: "v1",
      kind: "Pod",
    });
    expect((await api.request("GET", "/openapi/v2")).status).to.equal(404);
  });

  it("counts requests in apiserver_request_total", async () => {
    await api.request("GET", "/api/v1/namespaces");
    const text = (await api.request("GET", "/metrics")).text;
    expect(text).to.match(
      /apiserver_request_total\{verb="LIST",dry_run="",group="",version="v1",resource="namespaces",subresource="",scope="cluster",component="apiserver",code="200"\} [1-9]/,
    );
  });
});
