import { expect } from "chai";
import { isLoopbackHost, splitHostPort } from "../../../../agent/registry/transport/host-names.js";

describe("registry host names", () => {
  it("counts 127.0.0.0/8, ::1 and localhost as loopback, with or without a port", () => {
    for (const host of [
      "127.0.0.1:5000",
      "127.9.8.7",
      "localhost",
      "localhost:5000",
      "LOCALHOST:1",
      "reg.localhost:443",
      "[::1]:5000",
      "::1",
      "[0:0:0:0:0:0:0:1]:80",
      "[::ffff:127.0.0.1]:5000",
    ]) {
      expect(isLoopbackHost(host), host).to.equal(true);
    }
  });

  it("does not count other hosts as loopback", () => {
    for (const host of [
      "docker.io",
      "128.0.0.1:5000",
      "10.0.0.1",
      "[::2]:5000",
      "127.0.0.1.example.com",
      "localhost.example.com",
      "[::ffff:10.0.0.1]",
    ]) {
      expect(isLoopbackHost(host), host).to.equal(false);
    }
  });

  it("splits host and port, IPv6 included", () => {
    expect(splitHostPort("example.com:5000")).to.deep.equal({
      hostname: "example.com",
      port: "5000",
    });
    expect(splitHostPort("example.com")).to.deep.equal({ hostname: "example.com" });
    expect(splitHostPort("[::1]:5000")).to.deep.equal({ hostname: "::1", port: "5000" });
    expect(splitHostPort("fe80::1")).to.deep.equal({ hostname: "fe80::1" });
  });
});
