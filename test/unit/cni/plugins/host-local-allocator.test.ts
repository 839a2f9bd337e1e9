import { expect } from "chai";
import type { PluginInput } from "../../../../cni/spec/types.js";
import { parseHostLocalConfig } from "../../../../cni/plugins/host-local/config.js";
import { freeAddressCount, nextFreeAddress } from "../../../../cni/plugins/host-local/allocator.js";
import { formatIp, parseCidr } from "../../../../cni/plugins/common/ip-math.js";

const setOf = (ranges: Record<string, string>[]) =>
  parseHostLocalConfig({
    cniVersion: "1.1.0",
    name: "n",
    type: "t",
    ipam: { type: "berth-host-local", ranges: [ranges] },
  } as PluginInput).rangeSets[0];

const next = (
  set: ReturnType<typeof setOf>,
  taken: string[],
  lastReserved?: string,
  exclude: string[] = [],
) => {
  const ip = nextFreeAddress(set, {
    taken: new Set(taken),
    lastReserved,
    exclude: exclude.map((e) => parseCidr(e.includes("/") ? e : `${e}/32`)!),
  });
  return ip && formatIp(ip);
};

describe("host-local allocation", () => {
  const small = setOf([{ subnet: "10.242.0.0/29" }]); // .1 gateway, .2-.6 usable

  it("hands out .2 first, never the gateway", () => {
    expect(next(small, [])).to.equal("10.242.0.2");
  });

  it("continues round-robin after the last reserved address and wraps around", () => {
    expect(next(small, ["10.242.0.2"], "10.242.0.2")).to.equal("10.242.0.3");
    expect(next(small, [], "10.242.0.6")).to.equal("10.242.0.2");
    expect(next(small, ["10.242.0.2", "10.242.0.3"], "10.242.0.5")).to.equal("10.242.0.6");
    expect(next(small, ["10.242.0.6", "10.242.0.2"], "10.242.0.5")).to.equal("10.242.0.3");
  });

  it("skips exclusions, single addresses and CIDRs alike", () => {
    expect(next(small, [], undefined, ["10.242.0.2", "10.242.0.4/31"])).to.equal("10.242.0.3");
    expect(next(small, ["10.242.0.3"], undefined, ["10.242.0.2", "10.242.0.4/31"])).to.equal(
      "10.242.0.6",
    );
  });

  it("walks every range of a set and reports exhaustion", () => {
    const two = setOf([
      { subnet: "10.242.0.0/30" }, // only .2 (gateway .1)
      { subnet: "10.242.1.0/30" }, // only .2
    ]);
    expect(next(two, ["10.242.0.2"])).to.equal("10.242.1.2");
    expect(next(two, ["10.242.0.2", "10.242.1.2"])).to.equal(undefined);
  });

  it("counts free addresses net of gateway, exclusions and reservations", () => {
    const state = (taken: string[], exclude: string[] = []) => ({
      taken: new Set(taken),
      exclude: exclude.map((e) => parseCidr(e)!),
    });
    expect(freeAddressCount(small, state([]))).to.equal(5n);
    expect(
      freeAddressCount(
        small,
        state(["10.242.0.2", "10.242.0.99"], ["10.242.0.4/31", "10.242.0.0/30"]),
      ),
    ).to.equal(1n);
    expect(freeAddressCount(setOf([{ subnet: "10.242.0.0/16" }]), state([]))).to.equal(65533n);
  });
});
