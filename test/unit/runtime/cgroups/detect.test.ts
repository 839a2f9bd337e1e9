import { expect } from "chai";
import { detectCgroupLayout } from "../../../../agent/runtime/cgroups/detect.js";
import { parseCgroupMounts } from "../../../../agent/runtime/cgroups/mountinfo.js";
import { fakeV1Host, fakeV2Host } from "./fake-hosts.js";

const jointMountinfo = [
  "22 1 8:1 / / rw,relatime - ext4 /dev/vda rw",
  "25 22 0:23 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
  "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate",
  "27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid shared:9 - cgroup cgroup rw,xattr,name=systemd",
  "28 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct",
  "29 25 0:27 / /sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,memory",
  "30 25 0:27 / /mnt/my\\040memory rw,nosuid shared:11 - cgroup cgroup rw,memory",
  "31 25 0:28 / /sys/fs/cgroup/net_cls,net_prio rw shared:12 - cgroup cgroup rw,net_cls,net_prio",
].join("\n");

describe("cgroup detection", () => {
  it("reads a v1 host with cpu and cpuacct mounted separately, name=systemd and the hybrid unified mount", async () => {
    const host = await fakeV1Host();
    try {
      const layout = host.layout;
      expect(layout.version).to.equal(1);
      if (layout.version !== 1) return;
      const byName = Object.fromEntries(
        layout.hierarchies.map((h) => [h.controllers.join(","), h.mountPoint]),
      );
      expect(byName["cpu"]).to.equal(`${host.root}/cpu`);
      expect(byName["cpuacct"]).to.equal(`${host.root}/cpuacct`);
      expect(byName["name=systemd"]).to.equal(`${host.root}/systemd`);
      expect(layout.unified).to.deep.equal({
        mountPoint: `${host.root}/unified`,
        mountRoot: "/",
        controllers: ["hugetlb"],
      });
    } finally {
      host.remove();
    }
  });

  it("reads joint mounts (cpu,cpuacct) and keeps one entry per hierarchy, preferring the cgroup root", async () => {
    const layout = await detectCgroupLayout({
      mountinfo: jointMountinfo,
      cgroupRoot: "/sys/fs/cgroup",
    });
    expect(layout.version).to.equal(1);
    if (layout.version !== 1) return;
    expect(layout.hierarchies.map((h) => [h.controllers.join(","), h.mountPoint])).to.deep.equal([
      ["name=systemd", "/sys/fs/cgroup/systemd"],
      ["cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct"],
      ["memory", "/sys/fs/cgroup/memory"],
      ["net_cls,net_prio", "/sys/fs/cgroup/net_cls,net_prio"],
    ]);
    expect(layout.unified?.mountPoint).to.equal("/sys/fs/cgroup/unified");
  });

  it("decodes octal escapes in mount points", () => {
    expect(parseCgroupMounts(jointMountinfo).map((m) => m.mountPoint)).to.include("/mnt/my memory");
  });

  it("recognises a unified (v2) host by its cgroup2 mount and cgroup.controllers", async () => {
    const host = await fakeV2Host();
    try {
      expect(host.layout.version).to.equal(2);
      expect(host.layout.version === 2 && host.layout.unified.controllers).to.include.members([
        "cpu",
        "memory",
        "pids",
      ]);
    } finally {
      host.remove();
    }
  });

  it("fails clearly when no cgroup filesystem is mounted", async () => {
    const mountinfo = "22 1 8:1 / / rw,relatime - ext4 /dev/vda rw\n";
    await detectCgroupLayout({ mountinfo, cgroupRoot: "/nowhere" }).then(
      () => expect.fail("detected a layout"),
      (err: Error) =>
        expect(err.message).to.match(/no cgroup v1 or v2 filesystem is mounted at \/nowhere/),
    );
  });

  it("detects this machine's real layout when run here (v1 hybrid per the host notes)", async function () {
    const layout = await detectCgroupLayout();
    if (layout.version !== 1) this.skip();
    expect(layout.hierarchies.length).to.be.greaterThan(0);
  });
});
