import { expect } from "chai";
import { hostPort, nodeEndpoint } from "../../../../controller/api/node-proxy/node-endpoint.js";
import { defaultPreferredAddressTypes } from "../../../../controller/api/node-proxy/node-streaming-config.js";
import { ApiError } from "../../../../controller/api/status.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";

const node = (
  addresses: { type: string; address: string }[],
  port?: unknown,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1", labels },
  status: {
    addresses,
    ...(port === undefined ? {} : { daemonEndpoints: { kubeletEndpoint: { Port: port } } }),
  },
});

const endpoint = (n: KubeObject, types = defaultPreferredAddressTypes) =>
  nodeEndpoint(n, types, 10250);

describe("where a node's agent is reached", () => {
  const all = [
    { type: "Hostname", address: "n1.example" },
    { type: "ExternalIP", address: "203.0.113.7" },
    { type: "InternalIP", address: "10.0.0.7" },
    { type: "InternalIP", address: "10.0.0.8" },
  ];

  it("takes the first address of the first preferred type, and the reported port", () => {
    expect(endpoint(node(all, 10255))).to.deep.equal({
      nodeName: "n1",
      host: "10.0.0.7",
      port: 10255,
    });
    expect(endpoint(node(all.slice(0, 2), 10255)).host).to.equal("203.0.113.7");
    expect(endpoint(node(all.slice(0, 1), 10255)).host).to.equal("n1.example");
    expect(endpoint(node(all), ["Hostname", "InternalIP"]).host).to.equal("n1.example");
  });

  it("falls back to the hostname label for Hostname, and to the default port", () => {
    const labelled = node([], undefined, { "kubernetes.io/hostname": "from-label" });
    expect(endpoint(labelled)).to.deep.equal({ nodeName: "n1", host: "from-label", port: 10250 });
    expect(endpoint(node(all, 0)).port).to.equal(10250);
    expect(endpoint(node(all, "10250")).port).to.equal(10250);
  });

  it("fails as kube-apiserver does when no preferred address is known", () => {
    try {
      endpoint(node([{ type: "InternalDNS", address: "n1.internal" }]));
      expect.fail("an endpoint was found");
    } catch (err) {
      expect(err).to.be.instanceOf(ApiError);
      expect((err as ApiError).code).to.equal(500);
      expect((err as ApiError).message).to.equal(
        "Internal error occurred: no preferred addresses found; known addresses: [{InternalDNS n1.internal}]",
      );
    }
  });

  it("writes IPv6 hosts in brackets", () => {
    expect(hostPort({ host: "fd00::7", port: 10250 })).to.equal("[fd00::7]:10250");
    expect(hostPort({ host: "10.0.0.7", port: 10250 })).to.equal("10.0.0.7:10250");
  });
});
