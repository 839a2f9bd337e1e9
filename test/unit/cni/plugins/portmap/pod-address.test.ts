import { expect } from "chai";
import {
  hostInterface,
  networkOf,
  podAddress,
} from "../../../../../cni/plugins/portmap/pod-address.js";
import type { CniResult } from "../../../../../cni/spec/types.js";

const bridgeResult: CniResult = {
  cniVersion: "1.0.0",
  interfaces: [
    { name: "berth0", mac: "8a:67:e8:e9:6d:a2" },
    { name: "veth011b22db" },
    { name: "eth0", sandbox: "/run/netns/pod" },
  ],
  ips: [
    { interface: 0, address: "10.88.0.1/16" },
    { interface: 2, address: "fd00::2/64" },
    { interface: 2, address: "10.88.3.7/16", gateway: "10.88.0.1" },
  ],
};

describe("berth-portmap pod address", () => {
  it("takes the container interface's IPv4 address and its subnet, skipping host and IPv6 entries", () => {
    expect(podAddress(bridgeResult, "eth0")).to.deep.equal({
      ip: "10.88.3.7",
      subnet: "10.88.0.0/16",
    });
  });

  it("ignores addresses of another container interface, and accepts entries without an index", () => {
    expect(podAddress(bridgeResult, "net1")).to.equal(undefined);
    const ipam: CniResult = { cniVersion: "1.0.0", ips: [{ address: "10.1.2.3/24" }] };
    expect(podAddress(ipam, "eth0")).to.deep.equal({ ip: "10.1.2.3", subnet: "10.1.2.0/24" });
  });

  it("computes network addresses", () => {
    expect(networkOf("10.243.17.200", 24)).to.equal("10.243.17.0");
    expect(networkOf("192.168.255.255", 17)).to.equal("192.168.128.0");
    expect(networkOf("255.255.255.255", 0)).to.equal("0.0.0.0");
    expect(networkOf("10.1.2.3", 32)).to.equal("10.1.2.3");
  });

  it("finds the host-side interface (the first without a sandbox) and refuses unsafe names", () => {
    expect(hostInterface(bridgeResult)).to.equal("berth0");
    const ptp: CniResult = {
      cniVersion: "1.0.0",
      interfaces: [{ name: "eth0", sandbox: "/run/netns/x" }, { name: "veth1" }],
    };
    expect(hostInterface(ptp)).to.equal("veth1");
    for (const name of ["../x", "all", "..", "a b"]) {
      expect(hostInterface({ cniVersion: "1.0.0", interfaces: [{ name }] }), name).to.equal(
        undefined,
      );
    }
    expect(hostInterface({ cniVersion: "1.0.0" })).to.equal(undefined);
  });
});
