import { expect } from "chai";
import {
  allCapabilities,
  capabilitiesFromMask,
  containerCapabilities,
  defaultCapabilities,
  normalizeCapability,
} from "../../../../agent/runtime/oci/capabilities.js";
import { testHost } from "./spec-fixtures.js";

const caps = (add: string[] = [], drop: string[] = [], ambient: string[] = []) => ({
  add_capabilities: add,
  drop_capabilities: drop,
  add_ambient_capabilities: ambient,
});
const bounding = (c: ReturnType<typeof caps> | null, privileged = false) =>
  containerCapabilities(c, privileged, testHost.capabilities).bounding;

describe("capabilities", () => {
  it("knows all 41 kernel capabilities in bit order", () => {
    expect(allCapabilities).to.have.length(41);
    expect(allCapabilities[0]).to.equal("CAP_CHOWN");
    expect(allCapabilities[21]).to.equal("CAP_SYS_ADMIN");
    expect(allCapabilities[40]).to.equal("CAP_CHECKPOINT_RESTORE");
  });

  it("decodes a /proc/self/status mask (this node lacks CAP_SYS_RESOURCE, bit 24)", () => {
    const held = capabilitiesFromMask(0x1fffeffffffn);
    expect(held).to.have.length(40);
    expect(held).to.not.include("CAP_SYS_RESOURCE");
  });

  it("gives Docker's 14 defaults, the same in every set, with empty ambient/inheritable", () => {
    const sets = containerCapabilities(null, false, testHost.capabilities);
    expect(sets.bounding)
      .to.have.members([...defaultCapabilities])
      .and.have.length(14);
    expect(sets.effective).to.deep.equal(sets.bounding);
    expect(sets.permitted).to.deep.equal(sets.bounding);
    expect(sets.inheritable).to.deep.equal([]);
    expect(sets.ambient).to.deep.equal([]);
  });

  it("adds and drops names with or without CAP_, in any case", () => {
    const b = bounding(
      caps(["NET_ADMIN", "cap_sys_admin", "Sys_Ptrace"], ["net_raw", "CAP_MKNOD"]),
    );
    expect(b).to.include.members(["CAP_NET_ADMIN", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE"]);
    expect(b).to.not.include.members(["CAP_NET_RAW", "CAP_MKNOD"]);
  });

  it("adds ALL as every capability the agent holds (non-zero CapBnd)", () => {
    expect(bounding(caps(["ALL"]))).to.deep.equal(testHost.capabilities);
    expect(bounding(caps(["all"], ["CHOWN"]))).to.not.include("CAP_CHOWN");
  });

  it("drops ALL to nothing, then applies the named adds (drop wins over add)", () => {
    expect(bounding(caps([], ["ALL"]))).to.deep.equal([]);
    expect(bounding(caps(["NET_BIND_SERVICE"], ["ALL"]))).to.deep.equal(["CAP_NET_BIND_SERVICE"]);
    expect(bounding(caps(["ALL"], ["ALL"]))).to.deep.equal([]);
    expect(bounding(caps(["NET_ADMIN"], ["NET_ADMIN"]))).to.not.include("CAP_NET_ADMIN");
  });

  it("gives a privileged container everything the agent holds, ignoring add/drop", () => {
    expect(bounding(caps([], ["ALL"]), true)).to.deep.equal(testHost.capabilities);
    expect(bounding(null, true)).to.not.include("CAP_SYS_RESOURCE");
  });

  it("refuses an unknown name and one the agent cannot grant, naming the entry", () => {
    expect(() => bounding(caps(["NET_ADMIN", "FLY"]))).to.throw(
      /add_capabilities\[1\]: unknown capability "FLY"/,
    );
    expect(() => bounding(caps([], ["BOGUS"]))).to.throw(/drop_capabilities\[0\]/);
    expect(() => bounding(caps(["SYS_RESOURCE"]))).to.throw(/not held by the agent/);
  });

  it("puts add_ambient_capabilities in ambient and inheritable, if also in the set", () => {
    const sets = containerCapabilities(
      caps([], [], ["net_bind_service"]),
      false,
      testHost.capabilities,
    );
    expect(sets.ambient).to.deep.equal(["CAP_NET_BIND_SERVICE"]);
    expect(sets.inheritable).to.deep.equal(["CAP_NET_BIND_SERVICE"]);
    expect(() =>
      containerCapabilities(caps([], [], ["NET_ADMIN"]), false, testHost.capabilities),
    ).to.throw(/add_ambient_capabilities\[0\]/);
  });

  it("normalizes names", () => {
    expect(normalizeCapability(" kill ", "f")).to.equal("CAP_KILL");
  });
});
