import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import { readUserDatabase } from "../../../../agent/runtime/oci/etc-files.js";
import { processUser } from "../../../../agent/runtime/oci/process-user.js";
import { imageGroup, imagePasswd, makeRootfs, securityContext, tempDirs } from "./spec-fixtures.js";

function expectInvalid(fn: () => unknown, field: string, message?: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
    expect((err as { field?: string }).field).to.equal(field);
    expect((err as Error).message).to.contain(field);
    if (message) expect((err as Error).message).to.match(message);
    return;
  }
  expect.fail("expected an InvalidArgument error");
}

describe("process user", () => {
  const tmp = tempDirs();
  const imageDb = () =>
    readUserDatabase(makeRootfs(tmp(), { passwd: imagePasswd, group: imageGroup }));
  const sc = securityContext;

  it("runs as root with no user anywhere, in groups [0]", () => {
    expect(processUser(sc(), undefined, imageDb())).to.deep.equal({
      uid: 0,
      gid: 0,
      additionalGids: [0],
    });
  });

  it("takes run_as_user, with the primary group from the image's /etc/passwd", () => {
    expect(processUser(sc({ run_as_user: { value: "1001" } }), "app", imageDb())).to.deep.equal({
      uid: 1001,
      gid: 1002,
      additionalGids: [1002, 50000, 29],
    });
  });

  it("runs a uid missing from /etc/passwd with gid 0", () => {
    expect(processUser(sc({ run_as_user: { value: "4242" } }), undefined, imageDb())).to.deep.equal(
      {
        uid: 4242,
        gid: 0,
        additionalGids: [0],
      },
    );
  });

  it("resolves run_as_username through the image's /etc/passwd (critest's nobody)", () => {
    const user = processUser(sc({ run_as_username: "nobody" }), undefined, imageDb());
    expect(user).to.include({ uid: 65534, gid: 65534 });
  });

  it("prefers run_as_username over run_as_user", () => {
    const user = processUser(
      sc({ run_as_username: "app", run_as_user: { value: "1001" } }),
      undefined,
      imageDb(),
    );
    expect(user.uid).to.equal(1000);
  });

  it("refuses a run_as_username the image does not know, naming the field", () => {
    expectInvalid(
      () => processUser(sc({ run_as_username: "ghost" }), undefined, imageDb()),
      "config.linux.security_context.run_as_username",
      /"ghost" is not in the image's \/etc\/passwd/,
    );
  });

  it("sets run_as_group as the primary group (critest: 1001:1002)", () => {
    const user = processUser(
      sc({ run_as_user: { value: "1001" }, run_as_group: { value: "1002" } }),
      "",
      imageDb(),
    );
    expect(user.uid).to.equal(1001);
    expect(user.gid).to.equal(1002);
    const named = processUser(
      sc({ run_as_username: "app", run_as_group: { value: "7" } }),
      "",
      imageDb(),
    );
    expect(named).to.include({ uid: 1000, gid: 7 });
  });

  it("refuses run_as_group without run_as_user or run_as_username, even if the image has a USER", () => {
    expectInvalid(
      () => processUser(sc({ run_as_group: { value: "1002" } }), "app", imageDb()),
      "config.linux.security_context.run_as_group",
      /without run_as_user or run_as_username/,
    );
  });

  it("adds supplemental_groups after the image's groups (critest: uid 1000 → 1000 1234 50000)", () => {
    const user = processUser(
      sc({ run_as_user: { value: "1000" }, supplemental_groups: ["1234", "5678"] }),
      "",
      imageDb(),
    );
    expect(user.additionalGids).to.deep.equal([1000, 50000, 1234, 5678]);
  });

  it("leaves /etc/group out with supplemental_groups_policy Strict", () => {
    const user = processUser(
      sc({
        run_as_user: { value: "1000" },
        supplemental_groups: ["1234"],
        supplemental_groups_policy: "Strict",
      }),
      "",
      imageDb(),
    );
    expect(user.additionalGids).to.deep.equal([1000, 1234]);
  });

  it("does not repeat a group", () => {
    const user = processUser(
      sc({ run_as_user: { value: "1000" }, supplemental_groups: ["50000", "1000"] }),
      "",
      imageDb(),
    );
    expect(user.additionalGids).to.deep.equal([1000, 50000]);
  });

  describe("the image's USER", () => {
    it('accepts "uid"', () => {
      expect(processUser(sc(), "1000", imageDb())).to.include({ uid: 1000, gid: 1000 });
    });
    it('accepts "uid:gid" without looking the group up', () => {
      expect(processUser(sc(), "1000:33", imageDb())).to.include({ uid: 1000, gid: 33 });
    });
    it('accepts "name"', () => {
      expect(processUser(sc(), "web", imageDb())).to.deep.equal({
        uid: 1001,
        gid: 1002,
        additionalGids: [1002, 50000, 29],
      });
    });
    it('accepts "name:group" with the group from /etc/group', () => {
      expect(processUser(sc(), "app:staff", imageDb())).to.include({ uid: 1000, gid: 50000 });
    });
    it("is overridden by run_as_user", () => {
      expect(processUser(sc({ run_as_user: { value: "0" } }), "app", imageDb())).to.include({
        uid: 0,
        gid: 0,
      });
    });
    it("refuses an unknown user or group, naming the image config", () => {
      expectInvalid(() => processUser(sc(), "ghost", imageDb()), "image.config.User", /"ghost"/);
      expectInvalid(
        () => processUser(sc(), "app:ghosts", imageDb()),
        "image.config.User",
        /group "ghosts"/,
      );
    });
    it("refuses a malformed USER", () => {
      expectInvalid(() => processUser(sc(), "a:b:c", imageDb()), "image.config.User");
      expectInvalid(() => processUser(sc(), ":1000", imageDb()), "image.config.User");
    });
  });

  it("refuses ids out of range", () => {
    expectInvalid(
      () => processUser(sc({ run_as_user: { value: "-1" } }), "", imageDb()),
      "config.linux.security_context.run_as_user",
    );
    expectInvalid(
      () =>
        processUser(
          sc({ run_as_user: { value: "0" }, supplemental_groups: ["4294967295"] }),
          "",
          imageDb(),
        ),
      "config.linux.security_context.supplemental_groups[0]",
    );
  });

  it("treats an image without /etc/passwd and /etc/group as having no names", () => {
    const db = readUserDatabase(makeRootfs(tmp()));
    expect(processUser(sc({ run_as_user: { value: "1000" } }), "", db)).to.deep.equal({
      uid: 1000,
      gid: 0,
      additionalGids: [0],
    });
    expectInvalid(
      () => processUser(sc({ run_as_username: "root" }), "", db),
      "config.linux.security_context.run_as_username",
    );
  });

  describe("in a hostile image", () => {
    // The host's /etc/passwd has daemon (uid 1, gid 1); none of these may read it.
    it("does not follow /etc/passwd → /etc/passwd (absolute) to the host", () => {
      const rootfs = makeRootfs(tmp(), { group: imageGroup });
      fs.symlinkSync("/etc/passwd", path.join(rootfs, "etc/passwd"));
      const db = readUserDatabase(rootfs);
      expectInvalid(
        () => processUser(sc({ run_as_username: "daemon" }), "", db),
        "config.linux.security_context.run_as_username",
      );
      expect(processUser(sc({ run_as_user: { value: "1" } }), "", db)).to.include({
        uid: 1,
        gid: 0,
      });
    });

    it("does not follow a relative symlink that climbs out of the rootfs", () => {
      const dir = tmp();
      const rootfs = makeRootfs(dir);
      fs.writeFileSync(path.join(dir, "outside-passwd"), "intruder:x:4242:4343::/:/bin/sh\n");
      fs.symlinkSync("../../../../../../../../outside-passwd", path.join(rootfs, "etc/passwd"));
      fs.symlinkSync("../../../../../../etc/group", path.join(rootfs, "etc/group"));
      const db = readUserDatabase(rootfs);
      expectInvalid(
        () => processUser(sc({ run_as_username: "intruder" }), "", db),
        "config.linux.security_context.run_as_username",
      );
      expectInvalid(
        () => processUser(sc({ run_as_username: "daemon" }), "", db),
        "config.linux.security_context.run_as_username",
      );
      expect(processUser(sc({ run_as_user: { value: "4242" } }), "", db)).to.include({ gid: 0 });
    });

    it("does not follow a symlinked /etc directory to the host's /etc", () => {
      const dir = tmp();
      const rootfs = path.join(dir, "rootfs");
      fs.mkdirSync(rootfs);
      fs.symlinkSync("/etc", path.join(rootfs, "etc"));
      const db = readUserDatabase(rootfs);
      expect(db.passwd).to.deep.equal([]);
      expect(db.group).to.deep.equal([]);
    });

    it("follows a symlink that stays inside the rootfs, resolved against the rootfs", () => {
      const rootfs = makeRootfs(tmp());
      fs.mkdirSync(path.join(rootfs, "usr/share/base"), { recursive: true });
      fs.writeFileSync(path.join(rootfs, "usr/share/base/passwd"), imagePasswd);
      fs.symlinkSync("/usr/share/base/passwd", path.join(rootfs, "etc/passwd"));
      expect(processUser(sc({ run_as_username: "web" }), "", readUserDatabase(rootfs))).to.include({
        uid: 1001,
      });
    });

    it("reads a FIFO or a directory at /etc/passwd as no file, without blocking", () => {
      const rootfs = makeRootfs(tmp());
      fs.mkdirSync(path.join(rootfs, "etc/passwd"));
      fs.mkdirSync(path.join(rootfs, "etc/group"));
      expect(readUserDatabase(rootfs).passwd).to.deep.equal([]);
    });
  });
});
