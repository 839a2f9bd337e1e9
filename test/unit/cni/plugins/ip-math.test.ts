import { expect } from "chai";
import {
  cidrContains,
  formatCidr,
  formatIp,
  lastOf,
  networkOf,
  parseCidr,
  parseIp,
  parseIpOrCidrAddress,
} from "../../../../cni/plugins/common/ip-math.js";

describe("cni/plugins/common ip-math", () => {
  it("round-trips IPv4 and IPv6 addresses in canonical form", () => {
    expect(formatIp(parseIp("10.242.0.7")!)).to.equal("10.242.0.7");
    expect(formatIp(parseIp("2001:db8:0:0:0:0:0:1")!)).to.equal("2001:db8::1");
    expect(formatIp(parseIp("::ffff:1.2.3.4")!)).to.equal("::ffff:102:304");
    expect(formatIp(parseIp("fd00:0:0:1:0:0:0:0")!)).to.equal("fd00:0:0:1::");
    expect(formatIp(parseIp("::")!)).to.equal("::");
  });

  it("rejects what is not an address or a CIDR", () => {
    expect(parseIp("10.242.0.256")).to.equal(undefined);
    expect(parseIp("10.242.0")).to.equal(undefined);
    expect(parseCidr("10.242.0.0")).to.equal(undefined);
    expect(parseCidr("10.242.0.0/33")).to.equal(undefined);
    expect(parseCidr("10.242.0.0/x")).to.equal(undefined);
  });

  it("computes network, last address and membership", () => {
    const c = parseCidr("10.242.3.77/22")!;
    expect(formatIp(networkOf(c))).to.equal("10.242.0.0");
    expect(formatIp(lastOf(c))).to.equal("10.242.3.255");
    expect(cidrContains(c, parseIp("10.242.1.1")!)).to.equal(true);
    expect(cidrContains(c, parseIp("10.242.4.0")!)).to.equal(false);
    expect(cidrContains(c, parseIp("::1")!)).to.equal(false);
    const v6 = parseCidr("fd00::1/120")!;
    expect(formatIp(lastOf(v6))).to.equal("fd00::ff");
    expect(formatCidr(v6)).to.equal("fd00::1/120");
  });

  it("takes the address part of a CIDR where an address is requested", () => {
    expect(formatIp(parseIpOrCidrAddress("10.242.0.9/24")!)).to.equal("10.242.0.9");
    expect(formatIp(parseIpOrCidrAddress("10.242.0.9")!)).to.equal("10.242.0.9");
  });
});
