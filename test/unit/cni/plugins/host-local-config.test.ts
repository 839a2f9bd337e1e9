import { expect } from "chai";
import type { PluginInput } from "../../../../cni/spec/types.js";
import { CniError } from "../../../../cni/spec/errors.js";
import { parseHostLocalConfig } from "../../../../cni/plugins/host-local/config.js";
import { formatIp } from "../../../../cni/plugins/common/ip-math.js";

const input = (ipam: Record<string, unknown>): PluginInput => ({
  cniVersion: "1.1.0",
  name: "net1",
  type: "berth-bridge",
  ipam: { type: "berth-host-local", ...ipam },
});

function configError(ipam: Record<string, unknown>): CniError {
  try {
    parseHostLocalConfig(input(ipam));
  } catch (err) {
    expect(err).to.be.instanceOf(CniError);
    return err as CniError;
  }
  throw new Error("expected a CniError");
}

describe("host-local configuration", () => {
  it("fills in gateway .1 and the range .1 … broadcast-1, under dataDir/network", () => {
    const conf = parseHostLocalConfig(input({ ranges: [[{ subnet: "10.242.0.0/24" }]] }));
    const [r] = conf.rangeSets[0];
    expect(formatIp(r.gateway)).to.equal("10.242.0.1");
    expect(formatIp(r.start)).to.equal("10.242.0.1");
    expect(formatIp(r.end)).to.equal("10.242.0.254");
    expect(conf.dir).to.equal("/var/lib/cni/networks/net1");
  });

  it("takes explicit range bounds, gateway, routes and exclusions", () => {
    const conf = parseHostLocalConfig(
      input({
        ranges: [
          [
            {
              subnet: "10.242.0.0/16",
              rangeStart: "10.242.1.10",
              rangeEnd: "10.242.1.20",
              gateway: "10.242.0.254",
            },
          ],
        ],
        routes: [{ dst: "0.0.0.0/0" }, { dst: "10.9.0.0/16", gw: "10.242.0.254" }],
        exclude: ["10.242.1.12", "10.242.1.16/30"],
        dataDir: "/tmp/x",
      }),
    );
    const [r] = conf.rangeSets[0];
    expect([formatIp(r.start), formatIp(r.end), formatIp(r.gateway)]).to.deep.equal([
      "10.242.1.10",
      "10.242.1.20",
      "10.242.0.254",
    ]);
    expect(conf.routes).to.deep.equal([
      { dst: "0.0.0.0/0" },
      { dst: "10.9.0.0/16", gw: "10.242.0.254" },
    ]);
    expect(conf.exclude.map((c) => c.prefix)).to.deep.equal([32, 30]);
    expect(conf.dir).to.equal("/tmp/x/net1");
  });

  it("accepts the legacy single-range form", () => {
    const conf = parseHostLocalConfig(input({ subnet: "10.242.5.0/24" }));
    expect(conf.rangeSets).to.have.length(1);
  });

  it("rejects IPv4 subnets smaller than /30", () => {
    const err = configError({ ranges: [[{ subnet: "10.242.0.0/31" }]] });
    expect(err.code).to.equal(7);
    expect(err.message).to.match(
      /ranges\[0\]\[0\]\.subnet: network 10\.242\.0\.0\/31 is too small/,
    );
    expect(() =>
      parseHostLocalConfig(input({ ranges: [[{ subnet: "10.242.0.0/30" }]] })),
    ).not.to.throw();
  });

  it("rejects a subnet with host bits set", () => {
    expect(configError({ ranges: [[{ subnet: "10.242.0.5/24" }]] }).message).to.match(
      /host bits set; the network address for \/24 is 10\.242\.0\.0/,
    );
  });

  it("rejects overlapping range sets with a message naming both", () => {
    const err = configError({
      ranges: [[{ subnet: "10.242.0.0/16" }], [{ subnet: "10.242.3.0/24" }]],
    });
    expect(err.code).to.equal(7);
    expect(err.message).to.match(
      /range set 1 \(10\.242\.3\.0\/24 .*\) overlaps range set 0 \(10\.242\.0\.0\/16/,
    );
  });

  it("rejects overlapping ranges within one set, but not disjoint ranges of one subnet", () => {
    const err = configError({
      ranges: [
        [
          { subnet: "10.242.0.0/24", rangeStart: "10.242.0.10", rangeEnd: "10.242.0.50" },
          { subnet: "10.242.0.0/24", rangeStart: "10.242.0.40", rangeEnd: "10.242.0.90" },
        ],
      ],
    });
    expect(err.message).to.match(/ranges\[0\]\[1\]: overlaps ranges\[0\]\[0\]/);
    expect(() =>
      parseHostLocalConfig(
        input({
          ranges: [
            [
              { subnet: "10.242.0.0/24", rangeStart: "10.242.0.10", rangeEnd: "10.242.0.50" },
              { subnet: "10.242.0.0/24", rangeStart: "10.242.0.51", rangeEnd: "10.242.0.90" },
            ],
          ],
        }),
      ),
    ).not.to.throw();
  });

  it("rejects bounds outside the subnet, reversed bounds, bad routes and bad exclusions", () => {
    expect(
      configError({ ranges: [[{ subnet: "10.242.0.0/24", rangeEnd: "10.242.0.255" }]] }).message,
    ).to.match(/rangeEnd: 10\.242\.0\.255 is not a usable address of 10\.242\.0\.0\/24/);
    expect(
      configError({
        ranges: [[{ subnet: "10.242.0.0/24", rangeStart: "10.242.0.9", rangeEnd: "10.242.0.8" }]],
      }).message,
    ).to.match(/rangeStart: 10\.242\.0\.9 is after rangeEnd/);
    expect(
      configError({ ranges: [[{ subnet: "10.242.0.0/24" }]], routes: [{ dst: "nope" }] }).message,
    ).to.match(/routes\[0\]\.dst/);
    expect(
      configError({ ranges: [[{ subnet: "10.242.0.0/24" }]], exclude: ["10.1"] }).message,
    ).to.match(/exclude\[0\]/);
    expect(configError({ ranges: [] }).message).to.match(/ranges: must be a non-empty list/);
    expect(
      configError({ ranges: [[{ subnet: "10.242.0.0/24" }, { subnet: "fd00::/64" }]] }).message,
    ).to.match(/mixes IPv4 and IPv6/);
  });
});
