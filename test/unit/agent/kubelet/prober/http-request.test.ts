import { expect } from "chai";
import { httpGetRequest } from "../../../../../agent/kubelet/prober/http-request.js";
import { resolveContainerPort } from "../../../../../agent/kubelet/prober/container-port.js";
import type { Container } from "../../../../../agent/kube/types.js";

const container: Container = {
  name: "app",
  ports: [
    { name: "http", containerPort: 8080 },
    { name: "admin", containerPort: 9090 },
  ],
};

describe("httpGet request: URL and port as kubelet builds them", () => {
  it("targets the pod IP on a numeric or named port, the path made absolute", () => {
    const byNumber = httpGetRequest({ port: 80, path: "healthz" }, container, "10.0.0.5", "probe");
    expect(byNumber.url.href).to.equal("http://10.0.0.5/healthz");
    const byName = httpGetRequest(
      { port: "admin", path: "/a?b=c" },
      container,
      "10.0.0.5",
      "probe",
    );
    expect(byName.url.href).to.equal("http://10.0.0.5:9090/a?b=c");
  });

  it("prefers the action's host and scheme, and brackets an IPv6 pod IP", () => {
    const withHost = httpGetRequest(
      { port: 443, host: "svc.local", scheme: "HTTPS" },
      container,
      "10.0.0.5",
      "lifecycle",
    );
    expect(withHost.url.href).to.equal("https://svc.local/");
    expect(withHost.headers["User-Agent"]).to.deep.equal(["kube-lifecycle/1.32"]);
    const v6 = httpGetRequest({ port: "http" }, container, "fd00::5", "probe");
    expect(v6.url.href).to.equal("http://[fd00::5]:8080/");
  });

  it("takes a string of digits that names no port as a number", () => {
    expect(resolveContainerPort("8081", container)).to.equal(8081);
  });

  it("rejects an unknown port name, an out-of-range port and a missing host", () => {
    expect(() => resolveContainerPort("metrics", container)).to.throw("port metrics not found");
    expect(() => resolveContainerPort(70000, container)).to.throw("invalid port number: 70000");
    expect(() => resolveContainerPort(0, container)).to.throw("invalid port number: 0");
    expect(() => httpGetRequest({ port: 80 }, container, undefined, "probe")).to.throw(/no IP/);
  });
});
