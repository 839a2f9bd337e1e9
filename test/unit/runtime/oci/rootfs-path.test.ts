import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { readRootfsFile, resolveInRoot } from "../../../../agent/runtime/oci/rootfs-path.js";
import { parseGroup, parsePasswd } from "../../../../agent/runtime/oci/etc-files.js";
import { tempDirs } from "./spec-fixtures.js";

describe("paths inside a container root", () => {
  const tmp = tempDirs();

  function root(): string {
    const dir = tmp();
    const r = path.join(dir, "root");
    fs.mkdirSync(path.join(r, "etc"), { recursive: true });
    fs.mkdirSync(path.join(r, "real"));
    fs.writeFileSync(path.join(r, "real/file"), "inside\n");
    fs.writeFileSync(path.join(dir, "secret"), "outside\n");
    return r;
  }

  it("resolves plain paths and '..' that stays inside", () => {
    const r = root();
    expect(resolveInRoot(r, "/real/file")).to.equal(path.join(r, "real/file"));
    expect(resolveInRoot(r, "/etc/../real/./file")).to.equal(path.join(r, "real/file"));
  });

  it("clamps '..' at the root", () => {
    const r = root();
    expect(resolveInRoot(r, "/../../secret")).to.equal(undefined);
    expect(resolveInRoot(r, "/../../real/file")).to.equal(path.join(r, "real/file"));
  });

  it("resolves absolute symlink targets against the root, not the host", () => {
    const r = root();
    fs.symlinkSync("/real/file", path.join(r, "etc/abs"));
    fs.symlinkSync("/secret", path.join(r, "etc/escape"));
    expect(resolveInRoot(r, "/etc/abs")).to.equal(path.join(r, "real/file"));
    expect(resolveInRoot(r, "/etc/escape")).to.equal(undefined);
  });

  it("resolves relative symlinks, clamped at the root", () => {
    const r = root();
    fs.symlinkSync("../real/file", path.join(r, "etc/rel"));
    fs.symlinkSync("../../../../secret", path.join(r, "etc/climb"));
    expect(resolveInRoot(r, "/etc/rel")).to.equal(path.join(r, "real/file"));
    expect(resolveInRoot(r, "/etc/climb")).to.equal(undefined);
  });

  it("follows symlinked directories in the middle of a path", () => {
    const r = root();
    fs.symlinkSync("/real", path.join(r, "linkdir"));
    expect(resolveInRoot(r, "/linkdir/file")).to.equal(path.join(r, "real/file"));
  });

  it("gives up on symlink loops and on files used as directories", () => {
    const r = root();
    fs.symlinkSync("/etc/loop", path.join(r, "etc/loop"));
    expect(resolveInRoot(r, "/etc/loop")).to.equal(undefined);
    expect(resolveInRoot(r, "/real/file/x")).to.equal(undefined);
  });

  it("reads regular files only, never blocking on a FIFO", () => {
    const r = root();
    expect(readRootfsFile(r, "/real/file")).to.equal("inside\n");
    expect(readRootfsFile(r, "/missing")).to.equal(undefined);
    expect(readRootfsFile(r, "/real")).to.equal(undefined);
    execFileSync("mkfifo", [path.join(r, "etc/fifo")]);
    expect(readRootfsFile(r, "/etc/fifo")).to.equal(undefined);
  });
});

describe("/etc/passwd and /etc/group parsing", () => {
  it("parses entries and skips comments and malformed lines", () => {
    expect(
      parsePasswd(
        "# c\nroot:x:0:0:root:/root:/bin/sh\nbad:x:a:0\n\nshort:x:1\napp:x:1000:1000::/:\n",
      ),
    ).to.deep.equal([
      { name: "root", uid: 0, gid: 0 },
      { name: "app", uid: 1000, gid: 1000 },
    ]);
    expect(parseGroup("root:x:0:\nstaff:x:50:a, b ,\nbad:x:z:\n")).to.deep.equal([
      { name: "root", gid: 0, members: [] },
      { name: "staff", gid: 50, members: ["a", "b"] },
    ]);
  });
});
