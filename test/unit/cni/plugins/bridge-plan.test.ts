import { expect } from "chai";
import { CniError } from "../../../../cni/spec/errors.js";
import { parseBridgeConfig } from "../../../../cni/plugins/bridge/config.js";
import { layer3 } from "../../../../cni/plugins/bridge/gateways.js";
import { hostVethName } from "../../../../cni/plugins/bridge/names.js";
import { containerCommands } from "../../../../cni/plugins/bridge/veth.js";

const ipam = { type: "berth-host-local" };

describe("bridge plugin planning", () => {
  it("defaults the bridge to cni0 and lets isDefaultGateway imply isGateway", () => {
    const conf = parseBridgeConfig({
      cniVersion: "1.1.0",
      name: "n",
      type: "berth-bridge",
      isDefaultGateway: true,
      ipam,
    });
    expect(conf.bridge).to.equal("cni0");
    expect(conf.isGateway).to.equal(true);
  });

  it("rejects bad bridge names, hairpin with promisc, and a missing IPAM type", () => {
    const bad = (extra: Record<string, unknown>) => () =>
      parseBridgeConfig({ cniVersion: "1.1.0", name: "n", type: "berth-bridge", ipam, ...extra });
    expect(bad({ bridge: "a-very-long-bridge-name" })).to.throw(
      CniError,
      /bridge: .* not a valid interface name/,
    );
    expect(bad({ hairpinMode: true, promiscMode: true })).to.throw(CniError, /cannot both be set/);
    expect(bad({ ipam: {} })).to.throw(CniError, /ipam\.type/);
    expect(bad({ mtu: 10 })).to.throw(CniError, /mtu/);
  });

  it("puts every IP on interface 2, fills the gateway and adds the default route once", () => {
    const l3 = layer3(
      {
        cniVersion: "1.1.0",
        ips: [{ address: "10.242.0.5/24" }],
        routes: [{ dst: "10.9.0.0/16" }],
      },
      { isGateway: true, isDefaultGateway: true },
    );
    expect(l3.result.ips).to.deep.equal([
      { interface: 2, address: "10.242.0.5/24", gateway: "10.242.0.1" },
    ]);
    expect(l3.result.routes).to.deep.equal([
      { dst: "10.9.0.0/16" },
      { dst: "0.0.0.0/0", gw: "10.242.0.1" },
    ]);
    expect(l3.bridgeAddresses.map((c) => c.prefix)).to.deep.equal([24]);
    const again = layer3(
      {
        cniVersion: "1.1.0",
        ips: [{ address: "10.242.0.5/24", gateway: "10.242.0.1" }],
        routes: [{ dst: "0.0.0.0/0" }],
      },
      { isGateway: true, isDefaultGateway: true },
    );
    expect(again.result.routes).to.deep.equal([{ dst: "0.0.0.0/0" }]);
  });

  it("routes gateway-less routes via the IP's gateway inside the netns", () => {
    expect(
      containerCommands(
        "eth0",
        [{ interface: 2, address: "10.242.0.5/24", gateway: "10.242.0.1" }],
        [{ dst: "0.0.0.0/0" }, { dst: "10.9.0.0/16", gw: "10.242.0.7" }],
      ),
    ).to.deep.equal([
      "addr add 10.242.0.5/24 dev eth0",
      "link set dev eth0 up",
      "route add 0.0.0.0/0 via 10.242.0.1 dev eth0",
      "route add 10.9.0.0/16 via 10.242.0.7 dev eth0",
    ]);
  });

  it("names the host veth from the attachment, stably and distinctly", () => {
    expect(hostVethName("c1", "eth0")).to.match(/^veth[0-9a-f]{8}$/);
    expect(hostVethName("c1", "eth0")).to.equal(hostVethName("c1", "eth0"));
    expect(hostVethName("c1", "eth0")).not.to.equal(hostVethName("c1", "eth1"));
  });
});
