import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  criDevices,
  defaultDeviceRules,
  devicesUnder,
  splitDev,
} from "../../../../agent/runtime/oci/devices.js";
import { tempDirs } from "./spec-fixtures.js";

describe("devices", () => {
  const tmp = tempDirs();
  const device = (host_path: string, container_path = "", permissions = "") => ({
    host_path,
    container_path,
    permissions,
  });

  it("splits dev_t numbers like glibc", () => {
    expect(splitDev(0x0103n)).to.deep.equal({ major: 1, minor: 3 });
    expect(splitDev(0x8800n)).to.deep.equal({ major: 136, minor: 0 });
    const makedev = (major: bigint, minor: bigint) =>
      ((major & 0xfffn) << 8n) |
      ((major & ~0xfffn) << 32n) |
      (minor & 0xffn) |
      ((minor & ~0xffn) << 12n);
    expect(splitDev(makedev(259n, 65536n))).to.deep.equal({ major: 259, minor: 65536 });
    expect(splitDev(makedev(4097n, 1048575n))).to.deep.equal({ major: 4097, minor: 1048575 });
  });

  it("denies all devices, then allows the standard ones and mknod", () => {
    expect(defaultDeviceRules[0]).to.deep.equal({ allow: false, access: "rwm" });
    const allowed = defaultDeviceRules
      .filter((r) => r.allow)
      .map((r) => `${r.type} ${r.major ?? "*"}:${r.minor ?? "*"} ${r.access}`);
    expect(allowed).to.have.members([
      "c *:* m",
      "b *:* m",
      "c 1:3 rwm",
      "c 1:5 rwm",
      "c 1:7 rwm",
      "c 1:8 rwm",
      "c 1:9 rwm",
      "c 5:0 rwm",
      "c 5:1 rwm",
      "c 5:2 rwm",
      "c 136:* rwm",
    ]);
  });

  it("turns a CRI device into a node read from the host and a cgroup rule with its permissions", () => {
    const { devices, rules } = criDevices([device("/dev/null", "/dev/xnull", "rw")]);
    const st = fs.statSync("/dev/null");
    expect(devices).to.deep.equal([
      {
        path: "/dev/xnull",
        type: "c",
        major: 1,
        minor: 3,
        fileMode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
      },
    ]);
    expect(rules).to.deep.equal([{ allow: true, type: "c", major: 1, minor: 3, access: "rw" }]);
  });

  it("resolves a symlinked host path and defaults the container path and permissions", () => {
    const dir = tmp();
    fs.symlinkSync("/dev/zero", path.join(dir, "z"));
    const { devices, rules } = criDevices([device(path.join(dir, "z"))]);
    expect(devices[0]).to.include({ path: "/dev/zero", type: "c", major: 1, minor: 5 });
    expect(rules[0].access).to.equal("rwm");
  });

  it("is InvalidArgument naming devices[i].host_path for a missing path or a non-device", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "plain"), "");
    expect(() => criDevices([device("/dev/null"), device(path.join(dir, "missing"))])).to.throw(
      /config\.devices\[1\]\.host_path: .*missing does not exist/,
    );
    expect(() => criDevices([device(path.join(dir, "plain"))])).to.throw(
      /config\.devices\[0\]\.host_path: .* is not a device/,
    );
  });

  it("refuses permissions beyond rwm and relative container paths", () => {
    expect(() => criDevices([device("/dev/null", "/dev/n", "rwx")])).to.throw(
      /config\.devices\[0\]\.permissions/,
    );
    expect(() => criDevices([device("/dev/null", "/dev/n", "rr")])).to.throw(/permissions/);
    expect(() => criDevices([device("/dev/null", "dev/n")])).to.throw(
      /config\.devices\[0\]\.container_path/,
    );
  });

  it("walks the host's /dev for privileged containers, skipping pts, shm, mqueue and the console", () => {
    const all = devicesUnder("/dev", "/dev");
    const paths = all.map((d) => d.path);
    expect(paths).to.include("/dev/null");
    expect(all.find((d) => d.path === "/dev/null")).to.include({ type: "c", major: 1, minor: 3 });
    expect(paths.filter((p) => /^\/dev\/(pts|shm|mqueue|fd)\//.test(p))).to.deep.equal([]);
    expect(paths).to.not.include("/dev/console");
    expect(all.every((d) => d.major !== 0)).to.equal(true);
  });

  it("maps a device directory to the container path and skips what is not a device", () => {
    const dir = tmp();
    fs.symlinkSync("/dev/null", path.join(dir, "link-to-null"));
    fs.writeFileSync(path.join(dir, "file"), "");
    expect(devicesUnder(dir, "/dev/x")).to.deep.equal([]);
    expect(criDevices([device(dir, "/dev/x")]).devices).to.deep.equal([]);
  });
});
