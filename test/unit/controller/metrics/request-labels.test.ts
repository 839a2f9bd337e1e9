import { expect } from "chai";
import type http from "node:http";
import { parseRequestInfo } from "../../../../controller/api/request-info.js";
import {
  isLongRunning,
  reportedVerb,
  requestLabels,
} from "../../../../controller/api/metrics/request-labels.js";

function labelsOf(method: string, path: string, headers: Record<string, string> = {}) {
  const url = new URL(path, "https://x");
  const info = parseRequestInfo(method, url);
  const req = { method, url: path, headers } as unknown as http.IncomingMessage;
  return { labels: requestLabels(req, url, info), verb: reportedVerb(req, info), info };
}

describe("apiserver_request_* labels (kube-apiserver's verb, scope, dry_run rules)", () => {
  it("labels a namespaced create as POST with scope resource, as the apiserver does", () => {
    expect(labelsOf("POST", "/api/v1/namespaces/default/pods").labels).to.deep.equal({
      verb: "POST",
      dry_run: "",
      group: "",
      version: "v1",
      resource: "pods",
      subresource: "",
      scope: "resource",
      component: "apiserver",
    });
  });

  it("tells LIST from GET by scope and WATCH from LIST, also on the legacy watch path", () => {
    expect(labelsOf("GET", "/apis/apps/v1/namespaces/ns/deployments").labels).to.include({
      verb: "LIST",
      scope: "namespace",
      group: "apps",
    });
    expect(labelsOf("GET", "/api/v1/nodes").labels).to.include({ verb: "LIST", scope: "cluster" });
    expect(labelsOf("GET", "/api/v1/namespaces/ns/pods/p").labels).to.include({
      verb: "GET",
      scope: "resource",
    });
    expect(labelsOf("GET", "/api/v1/namespaces/ns/pods?watch=true").labels?.verb).to.equal("WATCH");
    expect(labelsOf("GET", "/api/v1/watch/namespaces/ns/pods").labels?.verb).to.equal("WATCH");
  });

  it("reports server-side apply as APPLY and an unknown method as other", () => {
    const apply = labelsOf("PATCH", "/api/v1/namespaces/ns/configmaps/c", {
      "content-type": "application/apply-patch+yaml; charset=utf-8",
    });
    expect(apply.verb).to.equal("APPLY");
    const merge = labelsOf("PATCH", "/api/v1/namespaces/ns/configmaps/c", {
      "content-type": "application/merge-patch+json",
    });
    expect(merge.verb).to.equal("PATCH");
    expect(labelsOf("BREW", "/api/v1/namespaces/ns/pods/p").verb).to.equal("other");
  });

  it("labels dry runs All, anything else invalid", () => {
    expect(labelsOf("POST", "/api/v1/namespaces/ns/pods?dryRun=All").labels?.dry_run).to.equal(
      "All",
    );
    expect(labelsOf("POST", "/api/v1/namespaces/ns/pods?dryRun=Some").labels?.dry_run).to.equal(
      "invalid",
    );
  });

  it("counts health checks by path with an empty component and leaves other non-resource paths out", () => {
    expect(labelsOf("GET", "/readyz").labels).to.deep.equal({
      verb: "GET",
      dry_run: "",
      group: "",
      version: "",
      resource: "",
      subresource: "/readyz",
      scope: "",
      component: "",
    });
    expect(labelsOf("GET", "/apis").labels).to.equal(undefined);
    expect(labelsOf("GET", "/metrics").labels).to.equal(undefined);
    expect(labelsOf("GET", "/no/such/path").labels).to.equal(undefined);
  });

  it("treats watches and pod streams as long-running, and nothing else", () => {
    expect(isLongRunning(labelsOf("GET", "/api/v1/pods?watch=1").info)).to.equal(true);
    expect(isLongRunning(labelsOf("GET", "/api/v1/namespaces/ns/pods/p/log").info)).to.equal(true);
    expect(isLongRunning(labelsOf("POST", "/api/v1/namespaces/ns/pods/p/exec").info)).to.equal(
      true,
    );
    expect(isLongRunning(labelsOf("GET", "/api/v1/namespaces/ns/pods/p").info)).to.equal(false);
    expect(isLongRunning(labelsOf("PUT", "/api/v1/namespaces/ns/pods/p/status").info)).to.equal(
      false,
    );
  });
});
