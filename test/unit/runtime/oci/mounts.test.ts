import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import { containerMounts, type ExtraMount } from "../../../../agent/runtime/oci/mounts.js";
import { criMount, tempDirs } from "./spec-fixtures.js";

const extras: ExtraMount[] = [
  { containerPath: "/etc/hostname", hostPath: "/pod/hostname", readonly: false },
  { containerPath: "/etc/hosts", hostPath: "/pod/hosts", readonly: false },
  { containerPath: "/etc/resolv.conf", hostPath: "/pod/resolv.conf", readonly: false },
];

describe("container mounts", () => {
  const tmp = tempDirs();
  const dests = (ms: { destination: string }[]) => ms.map((m) => m.destination);

  it("has the default set, /sys and /sys/fs/cgroup read-only, then the pod's files", () => {
    const { mounts, rootfsPropagation } = containerMounts([], extras, false);
    expect(dests(mounts)).to.deep.equal([
      "/proc",
      "/dev",
      "/sys",
      "/dev/pts",
      "/dev/shm",
      "/dev/mqueue",
      "/etc/hostname",
      "/etc/hosts",
      "/etc/resolv.conf",
      "/sys/fs/cgroup",
    ]);
    expect(mounts.find((m) => m.destination === "/sys")?.options).to.include("ro");
    expect(mounts.find((m) => m.destination === "/sys/fs/cgroup")).to.deep.equal({
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: ["nosuid", "noexec", "nodev", "relatime", "ro"],
    });
    expect(mounts.find((m) => m.destination === "/etc/hosts")).to.deep.equal({
      destination: "/etc/hosts",
      type: "bind",
      source: "/pod/hosts",
      options: ["rbind", "rprivate", "rw"],
    });
    expect(rootfsPropagation).to.equal(undefined);
  });

  it("makes /sys and /sys/fs/cgroup writable for privileged containers", () => {
    const { mounts } = containerMounts([], [], true);
    expect(mounts.find((m) => m.destination === "/sys")?.options)
      .to.include("rw")
      .and.not.include("ro");
    expect(mounts.find((m) => m.destination === "/sys/fs/cgroup")?.options).to.include("rw");
  });

  it("binds a CRI mount recursively at its real host path, rw or ro", () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, "real"));
    fs.symlinkSync(path.join(dir, "real"), path.join(dir, "link"));
    const { mounts } = containerMounts(
      [
        criMount({ container_path: "/data", host_path: path.join(dir, "link") }),
        criMount({ container_path: "/conf/", host_path: dir, readonly: true }),
      ],
      [],
      false,
    );
    expect(mounts.find((m) => m.destination === "/data")).to.deep.equal({
      destination: "/data",
      type: "bind",
      source: fs.realpathSync(path.join(dir, "real")),
      options: ["rbind", "rprivate", "rw"],
    });
    expect(mounts.find((m) => m.destination === "/conf")?.options).to.deep.equal([
      "rbind",
      "rprivate",
      "ro",
    ]);
  });

  it("maps propagation and sets the root's propagation as containerd does", () => {
    const dir = tmp();
    const slave = containerMounts(
      [criMount({ host_path: dir, propagation: "PROPAGATION_HOST_TO_CONTAINER" })],
      [],
      false,
    );
    expect(slave.mounts.find((m) => m.destination === "/data")?.options).to.deep.equal([
      "rbind",
      "rslave",
      "rw",
    ]);
    expect(slave.rootfsPropagation).to.equal("rslave");
    const shared = containerMounts(
      [
        criMount({
          container_path: "/a",
          host_path: dir,
          propagation: "PROPAGATION_HOST_TO_CONTAINER",
        }),
        criMount({
          container_path: "/b",
          host_path: dir,
          propagation: "PROPAGATION_BIDIRECTIONAL",
        }),
      ],
      [],
      false,
    );
    expect(shared.mounts.find((m) => m.destination === "/b")?.options).to.include("rshared");
    expect(shared.rootfsPropagation).to.equal("rshared");
  });

  it("adds rro for a recursive read-only mount, which needs ro and private propagation", () => {
    const dir = tmp();
    const { mounts } = containerMounts(
      [criMount({ host_path: dir, readonly: true, recursive_read_only: true })],
      [],
      false,
    );
    expect(mounts.find((m) => m.destination === "/data")?.options).to.deep.equal([
      "rbind",
      "rprivate",
      "ro",
      "rro",
    ]);
    expect(() =>
      containerMounts([criMount({ host_path: dir, recursive_read_only: true })], [], false),
    ).to.throw(/recursive_read_only: needs readonly/);
  });

  it("lets a CRI mount replace a default one and a pod file at the same place", () => {
    const dir = tmp();
    const { mounts } = containerMounts(
      [
        criMount({ container_path: "/etc/hosts", host_path: dir }),
        criMount({ container_path: "/dev/shm", host_path: dir }),
        criMount({ container_path: "/proc/", host_path: dir }),
      ],
      extras,
      false,
    );
    const at = (d: string) => mounts.filter((m) => m.destination === d);
    expect(at("/etc/hosts")).to.have.length(1);
    expect(at("/etc/hosts")[0].source).to.equal(fs.realpathSync(dir));
    expect(at("/dev/shm")[0].type).to.equal("bind");
    expect(at("/proc")[0].type).to.equal("bind");
  });

  it("drops every default under /dev when /dev is mounted", () => {
    const { mounts } = containerMounts(
      [criMount({ container_path: "/dev", host_path: "/dev" })],
      [],
      false,
    );
    expect(dests(mounts).filter((d) => d.startsWith("/dev"))).to.deep.equal(["/dev"]);
  });

  it("mounts parents before children whatever the CRI order", () => {
    const dir = tmp();
    const { mounts } = containerMounts(
      [
        criMount({ container_path: "/a/b/c", host_path: dir }),
        criMount({ container_path: "/a", host_path: dir }),
        criMount({ container_path: "/a/b", host_path: dir }),
        criMount({ container_path: "/sys", host_path: dir }),
      ],
      [],
      false,
    );
    const order = dests(mounts);
    expect(order.indexOf("/a")).to.be.lessThan(order.indexOf("/a/b"));
    expect(order.indexOf("/a/b")).to.be.lessThan(order.indexOf("/a/b/c"));
    expect(order.indexOf("/sys")).to.be.lessThan(order.indexOf("/sys/fs/cgroup"));
  });

  it("is InvalidArgument naming mounts[i].host_path when the host path is missing", () => {
    const dir = tmp();
    try {
      containerMounts(
        [
          criMount({ host_path: dir }),
          criMount({ container_path: "/x", host_path: `${dir}/nope` }),
        ],
        [],
        false,
      );
      expect.fail("expected an error");
    } catch (err) {
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect((err as { field?: string }).field).to.equal("config.mounts[1].host_path");
      expect((err as Error).message).to.match(
        /config\.mounts\[1\]\.host_path: .*nope does not exist/,
      );
    }
  });

  it("is InvalidArgument for relative or root container paths and relative host paths", () => {
    const dir = tmp();
    expect(() =>
      containerMounts([criMount({ container_path: "data", host_path: dir })], [], false),
    ).to.throw(/config\.mounts\[0\]\.container_path: "data" is not an absolute path/);
    expect(() =>
      containerMounts([criMount({ container_path: "/", host_path: dir })], [], false),
    ).to.throw(/cannot mount over the container's root/);
    expect(() => containerMounts([criMount({ host_path: "tmp" })], [], false)).to.throw(
      /config\.mounts\[0\]\.host_path: "tmp" is not an absolute path/,
    );
  });

  it("refuses two CRI mounts at one place, image volumes and id-mapped mounts", () => {
    const dir = tmp();
    expect(() =>
      containerMounts(
        [criMount({ host_path: dir }), criMount({ container_path: "/data/", host_path: dir })],
        [],
        false,
      ),
    ).to.throw(
      /config\.mounts\[1\]\.container_path: \/data is already mounted by config\.mounts\[0\]/,
    );
    expect(() =>
      containerMounts(
        [
          criMount({
            host_path: dir,
            image: {
              image: "x",
              annotations: {},
              user_specified_image: "",
              runtime_handler: "",
              image_ref: "",
            },
          }),
        ],
        [],
        false,
      ),
    ).to.throw(/image volumes are not supported/);
    expect(() =>
      containerMounts(
        [criMount({ host_path: dir, uidMappings: [{ host_id: 1, container_id: 0, length: 1 }] })],
        [],
        false,
      ),
    ).to.throw(/id-mapped/);
  });
});
