import { expect } from "chai";
import { podHostsFile } from "../../../../../agent/kubelet/spec/etc-hosts.js";
import {
  kernelHostname,
  podHostnameAndDomain,
} from "../../../../../agent/kubelet/spec/pod-hostname.js";
import { makePod } from "./pod-fixture.js";

describe("agent/kubelet/spec pod hostname", () => {
  it("is the pod's name, or spec.hostname when set", () => {
    expect(podHostnameAndDomain(makePod(), "cluster.local")).to.deep.equal({
      hostname: "web",
      domain: "",
    });
    expect(podHostnameAndDomain(makePod({ hostname: "db-0" }), "cluster.local").hostname).to.equal(
      "db-0",
    );
  });

  it("cuts a long pod name to 63 characters, without a trailing - or .", () => {
    const name = `${"a".repeat(61)}--b${"c".repeat(10)}`;
    const { hostname } = podHostnameAndDomain(makePod({}, { name }), "cluster.local");
    expect(hostname).to.equal("a".repeat(61));
  });

  it("gives the domain <subdomain>.<namespace>.svc.<cluster domain> with spec.subdomain", () => {
    const pod = makePod({ hostname: "db-0", subdomain: "db" });
    expect(podHostnameAndDomain(pod, "cluster.local").domain).to.equal(
      "db.default.svc.cluster.local",
    );
  });

  it("rejects a hostname or subdomain that is not a DNS label", () => {
    expect(() => podHostnameAndDomain(makePod({ hostname: "Bad_Name" }), "c")).to.throw(
      /pod Hostname "Bad_Name" is not a valid DNS label/,
    );
    expect(() => podHostnameAndDomain(makePod({ subdomain: "x".repeat(64) }), "c")).to.throw(
      /Subdomain/,
    );
  });

  it("uses the FQDN as the kernel hostname with setHostnameAsFQDN, up to 64 characters", () => {
    const pod = makePod({ hostname: "db-0", subdomain: "db", setHostnameAsFQDN: true });
    expect(kernelHostname(pod, "cluster.local")).to.equal("db-0.db.default.svc.cluster.local");
    expect(kernelHostname(makePod({ setHostnameAsFQDN: true }), "cluster.local")).to.equal("web");
    const long = makePod({
      hostname: "h".repeat(40),
      subdomain: "s".repeat(20),
      setHostnameAsFQDN: true,
    });
    expect(() => kernelHostname(long, "cluster.local")).to.throw(
      /FQDN .* is too long \(64 characters is the max/,
    );
  });
});

describe("agent/kubelet/spec pod /etc/hosts", () => {
  it("lists localhost, each pod IP with the hostname, then hostAliases", () => {
    const pod = makePod({
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["foo.local", "bar.local"] }],
    });
    expect(podHostsFile(pod, { hostname: "web", domain: "" }, ["10.0.0.5"])).to.equal(
      "# Kubernetes-managed hosts file.\n" +
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "fe00::0\tip6-mcastprefix\n" +
        "fe00::1\tip6-allnodes\n" +
        "fe00::2\tip6-allrouters\n" +
        "10.0.0.5\tweb\n" +
        "\n# Entries added by HostAliases.\n" +
        "127.0.0.1\tfoo.local\tbar.local\n",
    );
  });

  it("puts the FQDN first when the pod has a domain", () => {
    const text = podHostsFile(
      makePod(),
      { hostname: "db-0", domain: "db.default.svc.cluster.local" },
      ["10.0.0.5"],
    );
    expect(text).to.contain("10.0.0.5\tdb-0.db.default.svc.cluster.local\tdb-0\n");
  });

  it("gives a host-network pod the node's hosts file plus its aliases", () => {
    const pod = makePod({ hostNetwork: true, hostAliases: [{ ip: "1.2.3.4", hostnames: ["x"] }] });
    expect(
      podHostsFile(pod, { hostname: "web", domain: "" }, [], "127.0.0.1 localhost\n"),
    ).to.equal(
      "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n",
    );
  });
});
