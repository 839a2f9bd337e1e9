import { expect } from "chai";
import { podIps } from "../../../../cni/runner/cni-runner.js";

describe("podIps", () => {
  it("returns the addresses on interfaces inside a sandbox, without prefix length", () => {
    const ips = podIps({
      cniVersion: "1.0.0",
      interfaces: [{ name: "br0" }, { name: "veth1" }, { name: "eth0", sandbox: "/run/netns/p" }],
      ips: [
        { address: "10.1.0.1/16", interface: 0 },
        { address: "10.1.0.2/16", interface: 2, gateway: "10.1.0.1" },
        { address: "fd00::2/64", interface: 2 },
      ],
    });
    expect(ips).to.deep.equal(["10.1.0.2", "fd00::2"]);
  });

  it("returns every address when none names an interface (IPAM-style result)", () => {
    expect(podIps({ cniVersion: "1.0.0", ips: [{ address: "10.1.0.5/24" }] })).to.deep.equal([
      "10.1.0.5",
    ]);
    expect(podIps({ cniVersion: "1.0.0" })).to.deep.equal([]);
  });
});
