import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { endpointPath, endpointsFor } from "../../../../agent/registry/transport/endpoints.js";
import { tempDir } from "../../../support/temp-dir.js";

const none = { insecureRegistries: [], caFiles: {} };

describe("registry endpoints", () => {
  it("sends docker.io to registry-1.docker.io over verified HTTPS only", () => {
    const [hub] = endpointsFor("docker.io", none);
    expect(hub).to.deep.include({
      host: "registry-1.docker.io",
      schemes: ["https:"],
      mirror: false,
    });
    expect(hub.tls.skipVerify).to.equal(false);
  });

  it("allows plain HTTP (after unverified HTTPS) only for loopback and insecure registries", () => {
    expect(endpointsFor("reg.example:5000", none)[0].schemes).to.deep.equal(["https:"]);
    for (const host of ["127.0.0.1:5000", "localhost:5000", "[::1]:5000"]) {
      const [e] = endpointsFor(host, none);
      expect(e.schemes, host).to.deep.equal(["https:", "http:"]);
      expect(e.tls.skipVerify, host).to.equal(true);
    }
    const [insecure] = endpointsFor("reg.example:5000", {
      ...none,
      insecureRegistries: ["reg.example:5000"],
    });
    expect(insecure.schemes).to.deep.equal(["https:", "http:"]);
    expect(insecure.tls.skipVerify).to.equal(true);
  });

  it("puts hosts.toml mirrors before the upstream, with their own scheme and settings", () => {
    const dir = tempDir("endpoints");
    try {
      mkdirSync(path.join(dir.path, "docker.io"));
      writeFileSync(path.join(dir.path, "docker.io", "ca.pem"), "PEM");
      writeFileSync(
        path.join(dir.path, "docker.io", "hosts.toml"),
        `[host."http://127.0.0.1:5001"]\ncapabilities = ["pull"]\n[host."https://m.example/cache"]\nca = "ca.pem"\n`,
      );
      const endpoints = endpointsFor("docker.io", { ...none, hostsDir: dir.path });
      expect(endpoints.map((e) => [e.host, e.schemes, e.mirror, e.apiRoot])).to.deep.equal([
        ["127.0.0.1:5001", ["http:"], true, "/v2"],
        ["m.example", ["https:"], true, "/cache/v2"],
        ["registry-1.docker.io", ["https:"], false, "/v2"],
      ]);
      expect(endpoints[1].tls.ca).to.deep.equal(["PEM"]);
    } finally {
      dir.remove();
    }
  });

  it("re-roots /v2 paths at an endpoint's API root", () => {
    const e = { ...endpointsFor("docker.io", none)[0], apiRoot: "/cache/v2" };
    expect(endpointPath(e, "/v2/library/busybox/manifests/latest")).to.equal(
      "/cache/v2/library/busybox/manifests/latest",
    );
    expect(endpointPath(e, "/v2/")).to.equal("/cache/v2/");
  });

  it("fails naming a CA file that cannot be read", () => {
    expect(() =>
      endpointsFor("reg.example", { ...none, caFiles: { "reg.example": ["/nonexistent/ca.pem"] } }),
    ).to.throw(/CA file \/nonexistent\/ca.pem/);
  });
});
