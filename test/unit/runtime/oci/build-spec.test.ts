import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { isBerthError, type ErrorKind } from "../../../../lib/errors.js";
import { buildSpec } from "../../../../agent/runtime/oci/build-spec.js";
import {
  defaultMaskedPaths,
  defaultReadonlyPaths,
} from "../../../../agent/runtime/oci/masked-paths.js";
import type { OciSpec } from "../../../../agent/runtime/oci/oci-spec.js";
import type { SpecInput } from "../../../../agent/runtime/oci/spec-input.js";
import { dottedSysctl } from "../../../../agent/runtime/oci/sysctls.js";
import {
  containerConfig,
  criMount,
  imageGroup,
  imagePasswd,
  makeRootfs,
  resources,
  sandboxConfig,
  securityContext,
  specInput,
  tempDirs,
  testHost,
} from "./spec-fixtures.js";

function expectError(fn: () => unknown, kind: ErrorKind, field: string) {
  try {
    fn();
  } catch (err) {
    expect(isBerthError(err, kind), String(err)).to.equal(true);
    expect((err as { field?: string }).field).to.equal(field);
    return;
  }
  expect.fail(`expected a ${kind} error`);
}

describe("buildSpec", () => {
  const tmp = tempDirs();
  let rootfs: string;
  beforeEach(() => {
    rootfs = makeRootfs(tmp(), { passwd: imagePasswd, group: imageGroup });
  });

  const build = (overrides: Partial<SpecInput> = {}, host = testHost): OciSpec =>
    buildSpec(specInput(rootfs, overrides), host);
  const withSc = (
    sc: Parameters<typeof securityContext>[0],
    extra: Parameters<typeof containerConfig>[0] = {},
  ) => ({
    container: containerConfig({
      linux: { resources: null, security_context: securityContext(sc) },
      ...extra,
    }),
  });
  const privilegedPod = sandboxConfig({
    linux: {
      cgroup_parent: "",
      security_context: {
        namespace_options: null,
        selinux_options: null,
        run_as_user: null,
        readonly_rootfs: false,
        supplemental_groups: [],
        privileged: true,
        seccomp_profile_path: "",
        run_as_group: null,
        seccomp: null,
        apparmor: null,
        supplemental_groups_policy: "Merge",
      },
      sysctls: {},
      overhead: null,
      resources: null,
    },
  });

  it("builds a config.json runc 1.1 accepts: version, root, cgroups path, no rlimits or AppArmor", () => {
    const spec = build();
    expect(spec.ociVersion).to.equal("1.0.2-dev");
    expect(spec.root).to.deep.equal({ path: rootfs, readonly: false });
    expect(spec.linux.cgroupsPath).to.equal("/berth/pod-5a4b/c0ffee");
    expect(spec.process).to.not.have.property("rlimits");
    expect(spec.process).to.not.have.property("apparmorProfile");
    expect(spec.process.noNewPrivileges).to.equal(false);
    expect(JSON.parse(JSON.stringify(spec))).to.deep.equal(spec);
  });

  describe("process", () => {
    it("runs the image's Cmd in / as root, with PATH, HOSTNAME and the CRI envs", () => {
      const spec = build({
        container: containerConfig({ envs: [{ key: "GREETING", value: Buffer.from("hi") }] }),
      });
      expect(spec.process.args).to.deep.equal(["sh"]);
      expect(spec.process.cwd).to.equal("/");
      expect(spec.process.terminal).to.equal(false);
      expect(spec.process.user).to.deep.equal({ uid: 0, gid: 0, additionalGids: [0] });
      expect(spec.process.env).to.deep.equal([
        "PATH=/usr/bin:/bin",
        "HOSTNAME=web-pod",
        "GREETING=hi",
      ]);
    });

    it("takes HOSTNAME from the node when the pod has no hostname", () => {
      const spec = build({ sandbox: sandboxConfig({ hostname: "" }) });
      expect(spec.process.env).to.include("HOSTNAME=node-1");
      expect(spec).to.not.have.property("hostname");
    });

    it("uses working_dir, else the image's WorkingDir, else /", () => {
      expect(
        build({
          container: containerConfig({ working_dir: "/srv" }),
          image: { Cmd: ["x"], WorkingDir: "/app" },
        }).process.cwd,
      ).to.equal("/srv");
      expect(build({ image: { Cmd: ["x"], WorkingDir: "/app" } }).process.cwd).to.equal("/app");
      expect(build({ image: { Cmd: ["x"], WorkingDir: "app" } }).process.cwd).to.equal("/app");
      expectError(
        () => build({ container: containerConfig({ working_dir: "srv" }) }),
        "InvalidArgument",
        "config.working_dir",
      );
    });

    it("sets terminal from tty and no_new_privs from the security context", () => {
      expect(build({ container: containerConfig({ tty: true }) }).process.terminal).to.equal(true);
      expect(build(withSc({ no_new_privs: true })).process.noNewPrivileges).to.equal(true);
    });

    it("resolves the user and groups in the image (critest: uid 1000 with groups 1234 → 1000 1234 50000)", () => {
      const spec = build(withSc({ run_as_user: { value: "1000" }, supplemental_groups: ["1234"] }));
      expect(spec.process.user).to.deep.equal({
        uid: 1000,
        gid: 1000,
        additionalGids: [1000, 50000, 1234],
      });
      expect(build({ image: { Cmd: ["x"], User: "web" } }).process.user.uid).to.equal(1001);
    });

    it("does not read a hostile image's /etc/passwd that points at the host's", () => {
      const dir = tmp();
      const hostile = makeRootfs(dir);
      fs.symlinkSync("/etc/passwd", path.join(hostile, "etc/passwd"));
      expectError(
        () => buildSpec(specInput(hostile, withSc({ run_as_username: "daemon" })), testHost),
        "InvalidArgument",
        "config.linux.security_context.run_as_username",
      );
      const byUid = buildSpec(
        specInput(hostile, withSc({ run_as_user: { value: "1" } })),
        testHost,
      );
      expect(byUid.process.user).to.deep.equal({ uid: 1, gid: 0, additionalGids: [0] });
    });

    // Unset, the container would inherit the agent's value, negative where the agent is protected.
    it("always sets oomScoreAdj, never negative", () => {
      const withAdj = (adj: string) =>
        build({
          container: containerConfig({
            linux: { resources: resources({ oom_score_adj: adj }), security_context: null },
          }),
        });
      expect(withAdj("1000").process.oomScoreAdj).to.equal(1000);
      expect(withAdj("-997").process.oomScoreAdj).to.equal(0);
      expect(build().process.oomScoreAdj).to.equal(0);
    });

    it("fails with nothing to run", () => {
      expectError(() => build({ image: {} }), "InvalidArgument", "config.command");
    });
  });

  describe("namespaces and hostname", () => {
    it("joins the pod's network, IPC and UTS namespaces, with a new mount and PID namespace", () => {
      const spec = build();
      expect(spec.linux.namespaces).to.deep.equal([
        { type: "mount" },
        { type: "network", path: "/run/berth/ns/net-5a4b" },
        { type: "ipc", path: "/run/berth/ns/ipc-5a4b" },
        { type: "uts", path: "/run/berth/ns/uts-5a4b" },
        { type: "pid" },
      ]);
      expect(spec.hostname).to.equal("web-pod");
    });

    it("leaves host namespaces out, and the hostname with the host's UTS namespace", () => {
      const spec = build({
        namespaces: {},
        ...withSc({
          namespace_options: {
            network: "NODE",
            pid: "NODE",
            ipc: "NODE",
            target_id: "",
            userns_options: null,
          },
        }),
      });
      expect(spec.linux.namespaces).to.deep.equal([{ type: "mount" }]);
      expect(spec).to.not.have.property("hostname");
    });

    it("joins a POD or TARGET PID namespace by path, and fails without one", () => {
      const ns = (pid: "POD" | "TARGET") => ({
        network: "POD" as const,
        pid,
        ipc: "POD" as const,
        target_id: "",
        userns_options: null,
      });
      const spec = build({
        namespaces: { ...specInput(rootfs).namespaces, pid: "/proc/42/ns/pid" },
        ...withSc({ namespace_options: ns("POD") }),
      });
      expect(spec.linux.namespaces).to.deep.include({ type: "pid", path: "/proc/42/ns/pid" });
      expectError(
        () => build(withSc({ namespace_options: ns("TARGET") })),
        "FailedPrecondition",
        "config.linux.security_context.namespace_options.pid",
      );
    });

    it("adds a cgroup namespace on cgroup v2 only, and not for privileged containers", () => {
      const v2 = { ...testHost, cgroupVersion: 2 as const };
      expect(build({}, v2).linux.namespaces).to.deep.include({ type: "cgroup" });
      expect(build().linux.namespaces).to.not.deep.include({ type: "cgroup" });
      expect(
        build({ sandbox: privilegedPod, ...withSc({ privileged: true }) }, v2).linux.namespaces,
      ).to.not.deep.include({
        type: "cgroup",
      });
    });

    it("refuses user namespaces", () => {
      const ns = {
        network: "POD" as const,
        pid: "CONTAINER" as const,
        ipc: "POD" as const,
        target_id: "",
        userns_options: { mode: "POD" as const, uids: [], gids: [] },
      };
      expectError(
        () => build(withSc({ namespace_options: ns })),
        "Unimplemented",
        "config.linux.security_context.namespace_options.userns_options",
      );
    });
  });

  describe("mounts", () => {
    const at = (spec: OciSpec, d: string) => spec.mounts.find((m) => m.destination === d);

    it("binds the pod's hostname, hosts and resolv.conf, read-only with a read-only root", () => {
      expect(at(build(), "/etc/resolv.conf")).to.deep.equal({
        destination: "/etc/resolv.conf",
        type: "bind",
        source: "/run/berth/pods/5a4b/resolv.conf",
        options: ["rbind", "rprivate", "rw"],
      });
      const ro = build(withSc({ readonly_rootfs: true }));
      expect(ro.root.readonly).to.equal(true);
      for (const d of ["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"])
        expect(at(ro, d)?.options).to.include("ro");
    });

    it("uses the pod's /dev/shm when it has one, the host's with host IPC, else a tmpfs", () => {
      const files = { ...specInput(rootfs).sandboxFiles, shm: "/run/berth/pods/5a4b/shm" };
      expect(at(build({ sandboxFiles: files }), "/dev/shm")).to.include({
        type: "bind",
        source: "/run/berth/pods/5a4b/shm",
      });
      expect(at(build({ namespaces: { network: "/n" } }), "/dev/shm")).to.include({
        type: "bind",
        source: "/dev/shm",
      });
      expect(at(build(), "/dev/shm")).to.include({ type: "tmpfs" });
    });

    it("lets a CRI mount replace a pod file", () => {
      const dir = tmp();
      fs.writeFileSync(path.join(dir, "hosts"), "");
      const spec = build({
        container: containerConfig({
          mounts: [criMount({ container_path: "/etc/hosts", host_path: path.join(dir, "hosts") })],
        }),
      });
      expect(
        spec.mounts.filter((m) => m.destination === "/etc/hosts").map((m) => m.source),
      ).to.deep.equal([fs.realpathSync(path.join(dir, "hosts"))]);
    });

    it("sets rootfsPropagation from the CRI mounts", () => {
      const spec = build({
        container: containerConfig({
          mounts: [criMount({ host_path: tmp(), propagation: "PROPAGATION_BIDIRECTIONAL" })],
        }),
      });
      expect(spec.linux.rootfsPropagation).to.equal("rshared");
      expect(build().linux).to.not.have.property("rootfsPropagation");
    });

    it("is InvalidArgument naming the mount for a missing host path", () => {
      expectError(
        () =>
          build({
            container: containerConfig({
              mounts: [criMount({ host_path: "/nonexistent/berth/path" })],
            }),
          }),
        "InvalidArgument",
        "config.mounts[0].host_path",
      );
    });
  });

  describe("privileged", () => {
    it("needs a privileged pod sandbox", () => {
      expectError(
        () => build(withSc({ privileged: true })),
        "InvalidArgument",
        "config.linux.security_context.privileged",
      );
    });

    it("gets every capability the agent holds, all devices, writable sysfs, no masks and no seccomp", () => {
      const spec = build({
        sandbox: privilegedPod,
        ...withSc({ privileged: true, seccomp_profile_path: "runtime/default" }),
      });
      expect(spec.process.capabilities.bounding).to.deep.equal(testHost.capabilities);
      expect(spec.linux.resources.devices).to.deep.equal([{ allow: true, access: "rwm" }]);
      expect(spec.linux.devices.map((d) => d.path)).to.include("/dev/null");
      expect(spec.mounts.find((m) => m.destination === "/sys")?.options).to.include("rw");
      expect(spec.linux.maskedPaths).to.deep.equal([]);
      expect(spec.linux.readonlyPaths).to.deep.equal([]);
      expect(spec.linux).to.not.have.property("seccomp");
    });
  });

  describe("security", () => {
    it("denies all devices but the standard ones, plus the CRI devices", () => {
      const spec = build({
        container: containerConfig({
          devices: [{ host_path: "/dev/null", container_path: "/dev/mine", permissions: "r" }],
        }),
      });
      expect(spec.linux.resources.devices[0]).to.deep.equal({ allow: false, access: "rwm" });
      expect(spec.linux.resources.devices.at(-1)).to.deep.equal({
        allow: true,
        type: "c",
        major: 1,
        minor: 3,
        access: "r",
      });
      expect(spec.linux.devices).to.have.length(1);
      expect(spec.linux.devices[0]).to.include({ path: "/dev/mine", major: 1, minor: 3 });
    });

    it("masks and write-protects containerd's default paths, or exactly the ones given", () => {
      const spec = build();
      expect(spec.linux.maskedPaths).to.deep.equal([...defaultMaskedPaths]);
      expect(spec.linux.readonlyPaths).to.deep.equal([...defaultReadonlyPaths]);
      expect(spec.linux.maskedPaths).to.include.members([
        "/proc/kcore",
        "/proc/keys",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
      ]);
      const given = build(withSc({ masked_paths: ["/bin/ls"], readonly_paths: ["/tmp"] }));
      expect(given.linux.maskedPaths).to.deep.equal(["/bin/ls"]);
      expect(given.linux.readonlyPaths).to.deep.equal(["/tmp"]);
      expectError(
        () => build(withSc({ masked_paths: ["bin/ls"] })),
        "InvalidArgument",
        "config.linux.security_context.masked_paths[0]",
      );
    });

    it("gives no seccomp filter unless asked", () => {
      expect(build().linux).to.not.have.property("seccomp");
    });

    it("builds the default seccomp profile for the container's capabilities (sethostname needs SYS_ADMIN)", () => {
      const allows = (spec: OciSpec, name: string) =>
        spec.linux.seccomp?.syscalls.some(
          (r) => r.action === "SCMP_ACT_ALLOW" && r.names.includes(name) && !r.args,
        );
      const plain = build(withSc({ seccomp_profile_path: "runtime/default" }));
      expect(allows(plain, "sethostname")).to.equal(false);
      const admin = build(
        withSc({
          seccomp_profile_path: "runtime/default",
          capabilities: {
            add_capabilities: ["SYS_ADMIN"],
            drop_capabilities: [],
            add_ambient_capabilities: [],
          },
        }),
      );
      expect(allows(admin, "sethostname")).to.equal(true);
    });

    it("refuses an unknown legacy seccomp path", () => {
      expectError(
        () => build(withSc({ seccomp_profile_path: "/abs/profile.json" })),
        "InvalidArgument",
        "config.linux.security_context.seccomp_profile_path",
      );
    });
  });

  it("sets the pod's namespaced sysctls the container's namespaces can take", () => {
    const sandbox = sandboxConfig({
      linux: {
        cgroup_parent: "",
        security_context: null,
        sysctls: {
          "kernel.shm_rmid_forced": "1",
          "fs.mqueue.msg_max": "100",
          "net/core/somaxconn": "1024",
          "kernel.domainname": "example",
          "kernel.hostname": "clash",
          "net/ipv4/conf/eth0.1/forwarding": "1",
          "vm.swappiness": "1",
        },
        overhead: null,
        resources: null,
      },
    });
    expect(build({ sandbox }).linux.sysctl).to.deep.equal({
      "kernel.shm_rmid_forced": "1",
      "fs.mqueue.msg_max": "100",
      "net.core.somaxconn": "1024",
      "kernel.domainname": "example",
    });
    expect(build({ sandbox, namespaces: { ipc: "/i" } }).linux.sysctl).to.deep.equal({
      "kernel.shm_rmid_forced": "1",
      "fs.mqueue.msg_max": "100",
    });
    expect(build({ sandbox, namespaces: {} }).linux).to.not.have.property("sysctl");
  });

  it("converts slash-separated sysctl names the way the kubelet does", () => {
    expect(dottedSysctl("net/ipv4/conf/eth0.1/forwarding")).to.equal(
      "net.ipv4.conf.eth0/1.forwarding",
    );
    expect(dottedSysctl("kernel.shm_rmid_forced")).to.equal("kernel.shm_rmid_forced");
  });

  it("maps CRI resources into linux.resources", () => {
    const spec = build({
      container: containerConfig({
        linux: {
          resources: resources({ cpu_shares: "256", memory_limit_in_bytes: "15728640" }),
          security_context: null,
        },
      }),
    });
    expect(spec.linux.resources.cpu).to.deep.equal({ shares: 256 });
    expect(spec.linux.resources.memory).to.deep.equal({ limit: 15728640, swap: 15728640 });
  });

  it("annotates the container as containerd does", () => {
    const spec = build({
      container: containerConfig({
        image: {
          image: "sha256:abc",
          annotations: {},
          user_specified_image: "busybox:1.36",
          runtime_handler: "",
          image_ref: "",
        },
      }),
    });
    expect(spec.annotations).to.deep.equal({
      "io.kubernetes.cri.container-type": "container",
      "io.kubernetes.cri.sandbox-id": "5a4b",
      "io.kubernetes.cri.sandbox-name": "web",
      "io.kubernetes.cri.sandbox-namespace": "default",
      "io.kubernetes.cri.sandbox-uid": "uid-1",
      "io.kubernetes.cri.container-name": "app",
      "io.kubernetes.cri.image-name": "busybox:1.36",
    });
  });
});
