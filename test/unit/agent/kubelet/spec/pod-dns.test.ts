import { expect } from "chai";
import { podDnsConfig, type PodDnsOptions } from "../../../../../agent/kubelet/spec/pod-dns.js";
import { parseResolvConf } from "../../../../../agent/kubelet/spec/resolv-conf.js";
import { makePod } from "./pod-fixture.js";

const hostDns = parseResolvConf(
  "# generated\nnameserver 192.168.1.1\nnameserver 8.8.8.8\nsearch old.example\nsearch example.com. corp.local\noptions timeout:2 attempts:3\n",
);
const cluster: PodDnsOptions = {
  clusterDns: ["10.96.0.10"],
  clusterDomain: "cluster.local",
  hostDns,
};

describe("agent/kubelet/spec resolv.conf parsing", () => {
  it("accumulates nameservers; the last search and options lines win; trailing dots go", () => {
    expect(hostDns).to.deep.equal({
      servers: ["192.168.1.1", "8.8.8.8"],
      searches: ["example.com", "corp.local"],
      options: ["timeout:2", "attempts:3"],
    });
  });
});

describe("agent/kubelet/spec pod DNS (dnsPolicy)", () => {
  it("ClusterFirst: cluster DNS servers, the namespace's service domains then the node's, ndots:5", () => {
    const { config, events } = podDnsConfig(makePod({ dnsPolicy: "ClusterFirst" }), cluster);
    expect(config).to.deep.equal({
      servers: ["10.96.0.10"],
      searches: [
        "default.svc.cluster.local",
        "svc.cluster.local",
        "cluster.local",
        "example.com",
        "corp.local",
      ],
      options: ["ndots:5"],
    });
    expect(events).to.deep.equal([]);
  });

  it("treats an unset dnsPolicy as ClusterFirst", () => {
    expect(podDnsConfig(makePod(), cluster).config.servers).to.deep.equal(["10.96.0.10"]);
  });

  it("ClusterFirst without cluster DNS falls back to the node's resolv.conf with a MissingClusterDNS event", () => {
    const { config, events } = podDnsConfig(makePod(), { hostDns });
    expect(config).to.deep.equal({
      servers: hostDns.servers,
      searches: hostDns.searches,
      options: hostDns.options,
    });
    expect(events[0].reason).to.equal("MissingClusterDNS");
    expect(events[0].message).to.contain('"web_default(uid-1)"');
  });

  it("Default: the node's resolv.conf, or localhost and search '.' when the node has none", () => {
    expect(podDnsConfig(makePod({ dnsPolicy: "Default" }), cluster).config.servers).to.deep.equal(
      hostDns.servers,
    );
    expect(
      podDnsConfig(makePod({ dnsPolicy: "Default" }), { nodeIPs: ["fd00::1"] }).config,
    ).to.deep.equal({
      servers: ["::1"],
      searches: ["."],
      options: [],
    });
  });

  it("ClusterFirst on the host network means Default; ClusterFirstWithHostNet keeps cluster DNS", () => {
    const host = podDnsConfig(
      makePod({ hostNetwork: true, dnsPolicy: "ClusterFirst" }),
      cluster,
    ).config;
    expect(host.servers).to.deep.equal(hostDns.servers);
    const withHostNet = podDnsConfig(
      makePod({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" }),
      cluster,
    );
    expect(withHostNet.config.servers).to.deep.equal(["10.96.0.10"]);
  });

  it("None: only the pod's dnsConfig", () => {
    const pod = makePod({
      dnsPolicy: "None",
      dnsConfig: {
        nameservers: ["1.1.1.1"],
        searches: ["my.dns.search"],
        options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
      },
    });
    expect(podDnsConfig(pod, cluster).config).to.deep.equal({
      servers: ["1.1.1.1"],
      searches: ["my.dns.search"],
      options: ["ndots:2", "edns0"],
    });
  });

  it("merges dnsConfig: servers and searches appended without duplicates, options replaced by name", () => {
    const pod = makePod({
      dnsConfig: {
        nameservers: ["10.96.0.10", "1.1.1.1"],
        searches: ["svc.cluster.local", "extra.local"],
        options: [{ name: "ndots", value: "1" }, { name: "single-request" }],
      },
    });
    expect(podDnsConfig(pod, cluster).config).to.deep.equal({
      servers: ["10.96.0.10", "1.1.1.1"],
      searches: [
        "default.svc.cluster.local",
        "svc.cluster.local",
        "cluster.local",
        "example.com",
        "corp.local",
        "extra.local",
      ],
      options: ["ndots:1", "single-request"],
    });
  });

  it("keeps at most 3 nameservers and 32 search domains, with a DNSConfigForming event", () => {
    const pod = makePod({
      dnsPolicy: "None",
      dnsConfig: {
        nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"],
        searches: Array.from({ length: 40 }, (_, i) => `d${i}.example`),
      },
    });
    const { config, events } = podDnsConfig(pod, cluster);
    expect(config.servers).to.deep.equal(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    expect(config.searches).to.have.length(32);
    expect(events.map((e) => e.reason)).to.deep.equal(["DNSConfigForming", "DNSConfigForming"]);
    expect(events[0].message).to.equal(
      "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3",
    );
  });

  it("drops search domains over 253 characters and trims the line to 2048 characters", () => {
    const long = "a".repeat(254);
    const big = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(250)}.x`);
    const pod = makePod({
      dnsPolicy: "None",
      dnsConfig: { searches: ["ok.example", long, ...big] },
    });
    const { config } = podDnsConfig(pod, cluster);
    expect(config.searches).not.to.include(long);
    expect(config.searches!.join(" ").length).to.be.at.most(2048);
    expect(config.searches![0]).to.equal("ok.example");
  });
});
