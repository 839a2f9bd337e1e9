import { expect } from "chai";
import { allCapabilities } from "../../../../agent/runtime/oci/capabilities.js";
import { detectHostFacts, parseKernelRelease } from "../../../../agent/runtime/oci/host-facts.js";

describe("host facts", () => {
  it("parses kernel releases", () => {
    expect(parseKernelRelease("6.18.0-1-amd64")).to.deep.equal([6, 18]);
    expect(parseKernelRelease("5.4")).to.deep.equal([5, 4]);
    expect(parseKernelRelease("weird")).to.deep.equal([0, 0]);
  });

  it("reads this node's capabilities, cgroup version and architecture", () => {
    const facts = detectHostFacts();
    expect(facts.capabilities.every((c) => allCapabilities.includes(c))).to.equal(true);
    expect([1, 2]).to.include(facts.cgroupVersion);
    expect(facts.arch).to.equal(process.arch);
    expect(facts.devRoot).to.equal("/dev");
    expect(facts.hostname).to.be.a("string").and.not.equal("");
  });
});
