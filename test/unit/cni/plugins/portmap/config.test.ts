import { expect } from "chai";
import { parseConfig } from "../../../../../cni/plugins/portmap/config.js";
import { CniError } from "../../../../../cni/spec/errors.js";
import type { PluginInput } from "../../../../../cni/spec/types.js";

const input = (extra: Record<string, unknown> = {}): PluginInput => ({
  cniVersion: "1.1.0",
  name: "net",
  type: "berth-portmap",
  ...extra,
});

function failure(fn: () => unknown): CniError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(CniError);
    return err as CniError;
  }
  throw new Error("expected a CniError");
}

describe("berth-portmap config", () => {
  it("defaults snat to true and markMasqBit to 13, with no mappings", () => {
    expect(parseConfig(input())).to.deep.equal({
      network: "net",
      snat: true,
      markMasqBit: 13,
      mappings: [],
    });
  });

  it("normalizes mappings: protocol lower-cased (tcp by default), 0.0.0.0 and empty hostIP mean any", () => {
    const conf = parseConfig(
      input({
        snat: false,
        externalSetMarkChain: "KUBE-MARK-MASQ",
        runtimeConfig: {
          portMappings: [
            { hostPort: 8080, containerPort: 80, protocol: "TCP", hostIP: "" },
            { hostPort: 53, containerPort: 5353, protocol: "udp", hostIP: "10.0.0.1" },
            { hostPort: 9, containerPort: 9 },
            { hostPort: 10, containerPort: 10, protocol: "sctp", hostIP: "0.0.0.0" },
          ],
        },
      }),
    );
    expect(conf).to.deep.equal({
      network: "net",
      snat: false,
      markMasqBit: 13,
      externalSetMarkChain: "KUBE-MARK-MASQ",
      mappings: [
        { hostPort: 8080, containerPort: 80, protocol: "tcp" },
        { hostPort: 53, containerPort: 5353, protocol: "udp", hostIP: "10.0.0.1" },
        { hostPort: 9, containerPort: 9, protocol: "tcp" },
        { hostPort: 10, containerPort: 10, protocol: "sctp" },
      ],
    });
  });

  it("drops mappings bound to an IPv6 host address (only IPv4 is mapped)", () => {
    const conf = parseConfig(
      input({
        runtimeConfig: {
          portMappings: [
            { hostPort: 1, containerPort: 1, protocol: "tcp", hostIP: "::1" },
            { hostPort: 2, containerPort: 2, protocol: "tcp" },
          ],
        },
      }),
    );
    expect(conf.mappings.map((m) => m.hostPort)).to.deep.equal([2]);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    [
      "a zero host port",
      { runtimeConfig: { portMappings: [{ hostPort: 0, containerPort: 1 }] } },
      "runtimeConfig.portMappings[0].hostPort",
    ],
    [
      "a fractional container port",
      { runtimeConfig: { portMappings: [{ hostPort: 1, containerPort: 1.5 }] } },
      "runtimeConfig.portMappings[0].containerPort",
    ],
    [
      "a port above 65535",
      { runtimeConfig: { portMappings: [{ hostPort: 65536, containerPort: 1 }] } },
      "runtimeConfig.portMappings[0].hostPort",
    ],
    [
      "an unknown protocol",
      { runtimeConfig: { portMappings: [{ hostPort: 1, containerPort: 1, protocol: "icmp" }] } },
      "runtimeConfig.portMappings[0].protocol",
    ],
    [
      "a bad host IP",
      { runtimeConfig: { portMappings: [{ hostPort: 1, containerPort: 1, hostIP: "10.0.0" }] } },
      "runtimeConfig.portMappings[0].hostIP",
    ],
    [
      "portMappings not an array",
      { runtimeConfig: { portMappings: {} } },
      "runtimeConfig.portMappings",
    ],
    [
      "a mapping that is not an object",
      { runtimeConfig: { portMappings: [7] } },
      "runtimeConfig.portMappings[0]",
    ],
    ["snat not a boolean", { snat: "yes" }, "snat"],
    ["markMasqBit out of range", { markMasqBit: 32 }, "markMasqBit"],
    [
      "markMasqBit with externalSetMarkChain",
      { markMasqBit: 14, externalSetMarkChain: "X" },
      "markMasqBit",
    ],
    ["a chain name too long", { externalSetMarkChain: "X".repeat(29) }, "externalSetMarkChain"],
  ];
  for (const [what, extra, field] of bad) {
    it(`rejects ${what} with code 7 naming ${field}`, () => {
      const err = failure(() => parseConfig(input(extra)));
      expect(err.code).to.equal(7);
      expect(err.msg).to.equal(`invalid ${field}`);
      expect(err.details.startsWith(`${field} `), err.details).to.equal(true);
    });
  }

  it("rejects a missing network name and unsupported conditionsV4", () => {
    expect(failure(() => parseConfig(input({ name: "" }))).code).to.equal(7);
    expect(failure(() => parseConfig(input({ conditionsV4: ["-s", "1.2.3.4"] }))).code).to.equal(2);
  });
});
