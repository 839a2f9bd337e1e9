import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { isBerthError } from "../../../../lib/errors.js";
import { defaultCapabilities } from "../../../../agent/runtime/oci/capabilities.js";
import type { OciSeccomp } from "../../../../agent/runtime/oci/oci-spec.js";
import { convertSeccompProfile } from "../../../../agent/runtime/oci/seccomp-convert.js";
import { defaultSeccompProfile } from "../../../../agent/runtime/oci/seccomp-default.js";
import { containerSeccomp, seccompChoice } from "../../../../agent/runtime/oci/seccomp-profile.js";
import type { SeccompContext } from "../../../../agent/runtime/oci/seccomp-conditions.js";
import { securityContext, tempDirs } from "./spec-fixtures.js";

const amd64: SeccompContext = {
  capabilities: [...defaultCapabilities],
  arch: "amd64",
  kernel: [6, 18],
};

/** What the filter does with a syscall called with these arguments (the profiles here never have two matching rules with different actions). */
function verdict(p: OciSeccomp, name: string, args: number[] = []): string {
  const rules = p.syscalls.filter((r) => r.names.includes(name));
  const matching = rules.filter((r) =>
    (r.args ?? []).every((a) => {
      const v = args[a.index] ?? 0;
      switch (a.op) {
        case "SCMP_CMP_EQ":
          return v === a.value;
        case "SCMP_CMP_NE":
          return v !== a.value;
        case "SCMP_CMP_MASKED_EQ":
          return Number(BigInt(v) & BigInt(a.value)) === (a.valueTwo ?? 0);
        default:
          throw new Error(`op ${a.op} not modelled`);
      }
    }),
  );
  if (matching.length === 0) return `${p.defaultAction}(${p.defaultErrnoRet})`;
  const r = matching[0];
  return r.action === "SCMP_ACT_ERRNO" ? `${r.action}(${r.errnoRet})` : r.action;
}

describe("RuntimeDefault seccomp profile", () => {
  const profile = defaultSeccompProfile(amd64);

  it("denies with EPERM by default, for x86_64 and its 32-bit ABIs", () => {
    expect(profile.defaultAction).to.equal("SCMP_ACT_ERRNO");
    expect(profile.defaultErrnoRet).to.equal(1);
    expect(profile.architectures).to.deep.equal([
      "SCMP_ARCH_X86_64",
      "SCMP_ARCH_X86",
      "SCMP_ARCH_X32",
    ]);
    expect(defaultSeccompProfile({ ...amd64, arch: "arm64" }).architectures).to.deep.equal([
      "SCMP_ARCH_AARCH64",
      "SCMP_ARCH_ARM",
    ]);
  });

  it("allows what ordinary programs need", () => {
    for (const name of [
      "read",
      "write",
      "openat",
      "execve",
      "clone",
      "futex",
      "epoll_wait",
      "setuid",
      "ptrace",
      "arch_prctl",
      "io_uring_setup",
    ]) {
      expect(verdict(profile, name), name).to.equal("SCMP_ACT_ALLOW");
    }
    expect(verdict(profile, "socket", [2])).to.equal("SCMP_ACT_ALLOW");
  });

  it("blocks what needs a capability the container lacks (sethostname is EPERM)", () => {
    for (const name of [
      "sethostname",
      "setdomainname",
      "mount",
      "umount2",
      "unshare",
      "setns",
      "reboot",
      "init_module",
      "bpf",
      "kexec_load",
      "open_by_handle_at",
      "settimeofday",
      "acct",
      "keyctl",
      "add_key",
    ]) {
      expect(verdict(profile, name), name).to.equal("SCMP_ACT_ERRNO(1)");
    }
  });

  it("unlocks the CAP-gated groups with the capability in the bounding set", () => {
    const admin = defaultSeccompProfile({
      ...amd64,
      capabilities: [...defaultCapabilities, "CAP_SYS_ADMIN", "CAP_SYS_TIME", "CAP_SYS_BOOT"],
    });
    for (const name of [
      "sethostname",
      "setdomainname",
      "mount",
      "umount2",
      "unshare",
      "setns",
      "settimeofday",
      "reboot",
      "clone3",
    ]) {
      expect(verdict(admin, name), name).to.equal("SCMP_ACT_ALLOW");
    }
    expect(verdict(admin, "clone", [0x20000000])).to.equal("SCMP_ACT_ALLOW");
    expect(verdict(profile, "chroot")).to.equal("SCMP_ACT_ALLOW"); // CAP_SYS_CHROOT is a default
    const noChroot = defaultSeccompProfile({ ...amd64, capabilities: ["CAP_KILL"] });
    expect(verdict(noChroot, "chroot")).to.equal("SCMP_ACT_ERRNO(1)");
  });

  it("allows clone only without namespace flags, and makes clone3 ENOSYS, without CAP_SYS_ADMIN", () => {
    expect(verdict(profile, "clone", [0x11 /* SIGCHLD */])).to.equal("SCMP_ACT_ALLOW");
    expect(verdict(profile, "clone", [0x20000000 /* CLONE_NEWPID */])).to.equal(
      "SCMP_ACT_ERRNO(1)",
    );
    expect(verdict(profile, "clone", [0x40000000 /* CLONE_NEWNET */])).to.equal(
      "SCMP_ACT_ERRNO(1)",
    );
    expect(verdict(profile, "clone3")).to.equal("SCMP_ACT_ERRNO(38)");
  });

  it("allows personality only for the harmless personas", () => {
    for (const persona of [0, 8, 0x20000, 0x20008, 0xffffffff]) {
      expect(verdict(profile, "personality", [persona]), String(persona)).to.equal(
        "SCMP_ACT_ALLOW",
      );
    }
    expect(verdict(profile, "personality", [0x0040000 /* ADDR_NO_RANDOMIZE */])).to.equal(
      "SCMP_ACT_ERRNO(1)",
    );
  });

  it("refuses vsock sockets", () => {
    expect(verdict(profile, "socket", [40])).to.equal("SCMP_ACT_ERRNO(1)");
  });

  it("keeps architecture-specific syscalls to their architecture", () => {
    expect(verdict(profile, "arch_prctl")).to.equal("SCMP_ACT_ALLOW");
    expect(verdict(profile, "set_tls")).to.equal("SCMP_ACT_ERRNO(1)");
    const arm = defaultSeccompProfile({ ...amd64, arch: "arm64" });
    expect(verdict(arm, "set_tls")).to.equal("SCMP_ACT_ALLOW");
    expect(verdict(arm, "arch_prctl")).to.equal("SCMP_ACT_ERRNO(1)");
  });
});

describe("choosing a seccomp profile", () => {
  const tmp = tempDirs();
  const sc = securityContext;
  const profileOf = (s: ReturnType<typeof sc>, available = true) =>
    containerSeccomp(s, amd64, available);

  it("maps the legacy seccomp_profile_path", () => {
    expect(seccompChoice(sc())).to.deep.equal({ kind: "unconfined" });
    expect(seccompChoice(sc({ seccomp_profile_path: "unconfined" }))).to.deep.equal({
      kind: "unconfined",
    });
    expect(seccompChoice(sc({ seccomp_profile_path: "runtime/default" }))).to.deep.equal({
      kind: "runtime-default",
    });
    expect(seccompChoice(sc({ seccomp_profile_path: "docker/default" }))).to.deep.equal({
      kind: "runtime-default",
    });
    expect(seccompChoice(sc({ seccomp_profile_path: "localhost//etc/p.json" }))).to.include({
      kind: "localhost",
      path: "/etc/p.json",
    });
  });

  it("refuses a legacy path without localhost/, naming the field", () => {
    try {
      seccompChoice(sc({ seccomp_profile_path: "/etc/p.json" }));
      expect.fail("expected an error");
    } catch (err) {
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect((err as { field?: string }).field).to.equal(
        "config.linux.security_context.seccomp_profile_path",
      );
    }
  });

  it("prefers the seccomp SecurityProfile over the legacy path", () => {
    const s = sc({
      seccomp: { profile_type: "Unconfined", localhost_ref: "" },
      seccomp_profile_path: "runtime/default",
    });
    expect(seccompChoice(s)).to.deep.equal({ kind: "unconfined" });
    expect(
      seccompChoice(sc({ seccomp: { profile_type: "RuntimeDefault", localhost_ref: "" } })),
    ).to.deep.equal({
      kind: "runtime-default",
    });
    expect(() =>
      seccompChoice(sc({ seccomp: { profile_type: "RuntimeDefault", localhost_ref: "/x" } })),
    ).to.throw(/localhost_ref: set, but profile_type is RuntimeDefault/);
  });

  it("gives no seccomp for Unconfined and for privileged containers", () => {
    expect(profileOf(sc({ seccomp_profile_path: "unconfined" }))).to.equal(undefined);
    expect(profileOf(sc({ privileged: true, seccomp_profile_path: "runtime/default" }))).to.equal(
      undefined,
    );
    expect(profileOf(sc({ seccomp_profile_path: "runtime/default" }))?.defaultAction).to.equal(
      "SCMP_ACT_ERRNO",
    );
  });

  it("fails RuntimeDefault where the node has no seccomp, but not Unconfined", () => {
    expect(() => profileOf(sc({ seccomp_profile_path: "runtime/default" }), false)).to.throw(
      /no seccomp support/,
    );
    expect(profileOf(sc(), false)).to.equal(undefined);
  });

  it("loads a localhost profile, naming a missing or invalid file", () => {
    const dir = tmp();
    const file = path.join(dir, "p.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{ names: ["sethostname"], action: "SCMP_ACT_ERRNO" }],
      }),
    );
    expect(
      profileOf(sc({ seccomp: { profile_type: "Localhost", localhost_ref: file } })),
    ).to.deep.equal({
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: [],
      syscalls: [{ names: ["sethostname"], action: "SCMP_ACT_ERRNO" }],
    });
    expect(() => profileOf(sc({ seccomp_profile_path: `localhost/${dir}/missing.json` }))).to.throw(
      /seccomp_profile_path: cannot read seccomp profile .*missing\.json \(ENOENT\)/,
    );
    fs.writeFileSync(file, "{ nope");
    expect(() =>
      profileOf(sc({ seccomp: { profile_type: "Localhost", localhost_ref: file } })),
    ).to.throw(/seccomp\.localhost_ref: seccomp profile .*p\.json is not valid JSON/);
    expect(() =>
      profileOf(sc({ seccomp: { profile_type: "Localhost", localhost_ref: "rel/p.json" } })),
    ).to.throw(/not an absolute path/);
  });
});

describe("converting a localhost seccomp profile", () => {
  const convert = (raw: unknown, ctx: SeccompContext = amd64) =>
    convertSeccompProfile(raw, ctx, "/p.json", "f");

  it("converts Docker's format: archMap for this arch, name/names, includes and excludes", () => {
    const docker = {
      defaultAction: "SCMP_ACT_ERRNO",
      defaultErrnoRet: 1,
      archMap: [
        { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
        { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
      ],
      syscalls: [
        { names: ["read", "write"], action: "SCMP_ACT_ALLOW", comment: "basics" },
        { name: "getpid", action: "SCMP_ACT_ALLOW" },
        { names: ["mount"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_SYS_ADMIN"] } },
        { names: ["reboot"], action: "SCMP_ACT_ALLOW", includes: { caps: ["SYS_BOOT"] } },
        { names: ["set_tls"], action: "SCMP_ACT_ALLOW", includes: { arches: ["arm", "arm64"] } },
        { names: ["arch_prctl"], action: "SCMP_ACT_ALLOW", includes: { arches: ["amd64"] } },
        {
          names: ["clone3"],
          action: "SCMP_ACT_ERRNO",
          errnoRet: 38,
          excludes: { caps: ["CAP_SYS_ADMIN"] },
        },
        { names: ["ptrace"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4.8" } },
        { names: ["futex_waitv"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "99.0" } },
        {
          names: ["personality"],
          action: "SCMP_ACT_ALLOW",
          args: [{ index: 0, value: 8, op: "SCMP_CMP_EQ" }],
        },
      ],
    };
    expect(convert(docker)).to.deep.equal({
      defaultAction: "SCMP_ACT_ERRNO",
      defaultErrnoRet: 1,
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      syscalls: [
        { names: ["read", "write"], action: "SCMP_ACT_ALLOW" },
        { names: ["getpid"], action: "SCMP_ACT_ALLOW" },
        { names: ["arch_prctl"], action: "SCMP_ACT_ALLOW" },
        { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
        { names: ["ptrace"], action: "SCMP_ACT_ALLOW" },
        {
          names: ["personality"],
          action: "SCMP_ACT_ALLOW",
          args: [{ index: 0, value: 8, op: "SCMP_CMP_EQ" }],
        },
      ],
    });
    const admin = convert(docker, { ...amd64, capabilities: ["CAP_SYS_ADMIN"] });
    expect(admin.syscalls.map((s) => s.names[0]))
      .to.include("mount")
      .and.not.include("clone3");
  });

  it("passes OCI's own format through", () => {
    const oci = {
      defaultAction: "SCMP_ACT_LOG",
      architectures: ["SCMP_ARCH_X86_64"],
      flags: ["SECCOMP_FILTER_FLAG_LOG"],
      syscalls: [
        {
          names: ["kill"],
          action: "SCMP_ACT_ERRNO",
          errnoRet: 1,
          args: [{ index: 1, value: 9, valueTwo: 0, op: "SCMP_CMP_EQ" }],
        },
      ],
    };
    expect(convert(oci)).to.deep.equal(oci);
  });

  it("refuses malformed profiles, naming the file and the entry", () => {
    const bad = (raw: unknown, message: RegExp) => expect(() => convert(raw)).to.throw(message);
    bad([], /\/p\.json: top level: not a JSON object/);
    bad({}, /defaultAction: undefined is not a seccomp action/);
    bad({ defaultAction: "SCMP_ACT_MAYBE" }, /defaultAction: "SCMP_ACT_MAYBE"/);
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        architectures: ["SCMP_ARCH_X86_64"],
        archMap: [{ architecture: "SCMP_ARCH_X86_64" }],
      },
      /both architectures and archMap/,
    );
    bad({ defaultAction: "SCMP_ACT_ERRNO", architectures: ["x86_64"] }, /architectures\[0\]/);
    bad(
      { defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: [], action: "SCMP_ACT_ALLOW" }] },
      /syscalls\[0\]\.names: no syscall names/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["a"], name: "b", action: "SCMP_ACT_ALLOW" }],
      },
      /both name and names/,
    );
    bad(
      { defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["a"], action: "ALLOW" }] },
      /syscalls\[0\]\.action/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["a"], action: "SCMP_ACT_ALLOW", errnoRet: 1 }],
      },
      /only SCMP_ACT_ERRNO and SCMP_ACT_TRACE/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [
          {
            names: ["a"],
            action: "SCMP_ACT_ALLOW",
            args: [{ index: 6, value: 0, op: "SCMP_CMP_EQ" }],
          },
        ],
      },
      /args\[0\]\.index/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [
          {
            names: ["a"],
            action: "SCMP_ACT_ALLOW",
            args: [{ index: 0, value: -1, op: "SCMP_CMP_EQ" }],
          },
        ],
      },
      /args\[0\]\.value/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [
          { names: ["a"], action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 1, op: "EQ" }] },
        ],
      },
      /args\[0\]\.op/,
    );
    bad(
      {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["a"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4" } }],
      },
      /includes\.minKernel/,
    );
    bad({ defaultAction: "SCMP_ACT_ERRNO", flags: ["SECCOMP_FILTER_FLAG_MAGIC"] }, /flags\[0\]/);
  });
});
