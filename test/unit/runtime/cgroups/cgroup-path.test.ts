import { expect } from "chai";
import {
  ancestry,
  cgroupPath,
  directoryOf,
  nonRootCgroupPath,
} from "../../../../agent/runtime/cgroups/cgroup-path.js";

describe("cgroup paths", () => {
  it("normalises absolute paths and lists their ancestry", () => {
    expect(cgroupPath("/berth//pod/")).to.equal("/berth/pod");
    expect(ancestry("/berth/pod/ctr")).to.deep.equal([
      "/",
      "/berth",
      "/berth/pod",
      "/berth/pod/ctr",
    ]);
  });

  it("refuses relative paths, dot segments and the root where it must not be touched", () => {
    expect(() => cgroupPath("berth/pod")).to.throw(/must be absolute/);
    expect(() => cgroupPath("/berth/../etc")).to.throw(/invalid segment/);
    expect(() => nonRootCgroupPath("/")).to.throw(/root cgroup/);
  });

  it("maps a path into a hierarchy, including one mounted from a sub-tree", () => {
    expect(
      directoryOf({ mountPoint: "/sys/fs/cgroup/memory", mountRoot: "/" }, "/berth/pod"),
    ).to.equal("/sys/fs/cgroup/memory/berth/pod");
    expect(directoryOf({ mountPoint: "/m", mountRoot: "/outer" }, "/outer/berth")).to.equal(
      "/m/berth",
    );
    expect(() => directoryOf({ mountPoint: "/m", mountRoot: "/outer" }, "/berth")).to.throw(
      /outside/,
    );
  });
});
