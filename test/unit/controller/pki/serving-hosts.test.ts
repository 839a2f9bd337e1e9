import { expect } from "chai";
import { mergeAltNames, servingAltNames } from "../../../../controller/pki/serving-hosts.js";

describe("controller/pki serving certificate hosts", () => {
  it("splits hosts into IP and DNS entries, lower-cased, without duplicates", () => {
    expect(
      servingAltNames([
        "127.0.0.1",
        "localhost",
        "LocalHost",
        "[::1]",
        "0:0:0:0:0:0:0:1",
        "api.example.com",
      ]),
    ).to.deep.equal({ ips: ["127.0.0.1", "::1"], dnsNames: ["localhost", "api.example.com"] });
  });

  it("leaves out the wildcard listen addresses", () => {
    expect(servingAltNames(["0.0.0.0", "::", "10.0.0.5"])).to.deep.equal({
      ips: ["10.0.0.5"],
      dnsNames: [],
    });
  });

  it("rejects a host that is neither an IP nor a DNS name, naming its index", () => {
    expect(() => servingAltNames(["localhost", "bad host"])).to.throw(
      'hosts[1]: "bad host" is neither an IP address nor a DNS name',
    );
    expect(() => servingAltNames(["-x.example"])).to.throw(/hosts\[0\]/);
    expect(() => servingAltNames(["*.example.com"])).to.throw(/hosts\[0\]/);
  });

  it("merges SAN lists keeping the first order", () => {
    expect(
      mergeAltNames(
        { ips: ["10.0.0.1"], dnsNames: ["a"] },
        { ips: ["127.0.0.1", "10.0.0.1"], dnsNames: ["b"] },
      ),
    ).to.deep.equal({ ips: ["10.0.0.1", "127.0.0.1"], dnsNames: ["a", "b"] });
  });
});
