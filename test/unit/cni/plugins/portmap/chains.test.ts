import { expect } from "chai";
import {
  containerChain,
  containerRules,
  markDef,
} from "../../../../../cni/plugins/portmap/chains.js";
import type { PortmapConfig } from "../../../../../cni/plugins/portmap/config.js";

const conf = (extra: Partial<PortmapConfig> = {}): PortmapConfig => ({
  network: "net",
  snat: true,
  markMasqBit: 13,
  mappings: [{ hostPort: 8080, containerPort: 80, protocol: "tcp" }],
  ...extra,
});
const pod = { ip: "10.88.0.5", subnet: "10.88.0.0/16" };
const tag = ["-m", "comment", "--comment", 'name: "net" id: "c1"'];

describe("berth-portmap rules", () => {
  it("names the container chain CNI-DN-<hash> as the reference plugin does (28 characters)", () => {
    const chain = containerChain("net", "c1");
    expect(chain).to.match(/^CNI-DN-[0-9a-f]{21}$/);
    expect(containerChain("net", "c2")).to.not.equal(chain);
    expect(containerChain("other", "c1")).to.not.equal(chain);
  });

  it("formats marks as iptables prints them", () => {
    expect(markDef(13)).to.equal("0x2000/0x2000");
    expect(markDef(0)).to.equal("0x1/0x1");
    expect(markDef(31)).to.equal("0x80000000/0x80000000");
  });

  it("with snat: hairpin and localhost marks before the DNAT, in iptables' canonical order", () => {
    const own = containerRules(conf(), "c1", pod);
    const match = ["-p", "tcp", "-m", "tcp", "--dport", "8080", ...tag];
    expect(own.rules.map((r) => r.args)).to.deep.equal([
      ["-s", "10.88.0.0/16", ...match, "-j", "CNI-HOSTPORT-SETMARK"],
      ["-s", "127.0.0.1/32", ...match, "-j", "CNI-HOSTPORT-SETMARK"],
      [...match, "-j", "DNAT", "--to-destination", "10.88.0.5:80"],
    ]);
    expect(own.rules.every((r) => r.chain === own.chain)).to.equal(true);
    expect(own.jumps).to.deep.equal([
      {
        chain: "CNI-HOSTPORT-DNAT",
        args: ["-p", "tcp", ...tag, "-m", "multiport", "--dports", "8080", "-j", own.chain],
      },
    ]);
  });

  it("without snat only DNATs; a host IP restricts the destination; an external mark chain is used", () => {
    const mappings = [
      { hostPort: 53, containerPort: 5353, protocol: "udp" as const, hostIP: "10.0.0.1" },
    ];
    const plain = containerRules(conf({ snat: false, mappings }), "c1", pod);
    expect(plain.rules.map((r) => r.args)).to.deep.equal([
      [
        "-d",
        "10.0.0.1/32",
        "-p",
        "udp",
        "-m",
        "udp",
        "--dport",
        "53",
        ...tag,
        "-j",
        "DNAT",
        "--to-destination",
        "10.88.0.5:5353",
      ],
    ]);
    const external = containerRules(conf({ externalSetMarkChain: "KUBE-MARK-MASQ" }), "c1", pod);
    expect(external.rules[0].args.slice(-2)).to.deep.equal(["-j", "KUBE-MARK-MASQ"]);
  });

  it("groups jumps by protocol, at most 15 distinct ports per multiport rule", () => {
    const mappings = [
      ...Array.from({ length: 17 }, (_, i) => ({
        hostPort: 1000 + i,
        containerPort: 80,
        protocol: "tcp" as const,
      })),
      { hostPort: 1000, containerPort: 81, protocol: "tcp" as const, hostIP: "10.0.0.1" },
      { hostPort: 53, containerPort: 53, protocol: "udp" as const },
    ];
    const own = containerRules(conf({ mappings }), "c1", pod);
    const ports = own.jumps.map((j) => [j.args[1], j.args[j.args.indexOf("--dports") + 1]]);
    expect(ports).to.deep.equal([
      ["tcp", Array.from({ length: 15 }, (_, i) => 1000 + i).join(",")],
      ["tcp", "1015,1016"],
      ["udp", "53"],
    ]);
    expect(own.rules).to.have.length(3 * 19);
  });

  it("refuses a comment iptables would reject", () => {
    expect(() => containerRules(conf(), "c".repeat(250), pod)).to.throw(/too long/);
  });
});
