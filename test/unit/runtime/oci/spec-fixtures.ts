import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ContainerConfig__Output } from "../../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { LinuxContainerResources__Output } from "../../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import type { LinuxContainerSecurityContext__Output } from "../../../../proto/gen/runtime/v1/LinuxContainerSecurityContext.js";
import type { Mount__Output } from "../../../../proto/gen/runtime/v1/Mount.js";
import type { PodSandboxConfig__Output } from "../../../../proto/gen/runtime/v1/PodSandboxConfig.js";
import type { HostFacts } from "../../../../agent/runtime/oci/host-facts.js";
import type { SpecInput } from "../../../../agent/runtime/oci/spec-input.js";
import { allCapabilities } from "../../../../agent/runtime/oci/capabilities.js";

/** A node like the build machines: no CAP_SYS_RESOURCE, cgroup v1 with swap accounting. */
export const testHost: HostFacts = {
  capabilities: allCapabilities.filter((c) => c !== "CAP_SYS_RESOURCE"),
  cgroupVersion: 1,
  swapAccounting: true,
  hugetlb: false,
  arch: "x64",
  kernel: [6, 18],
  devRoot: "/dev",
  hostname: "node-1",
};

export function securityContext(
  overrides: Partial<LinuxContainerSecurityContext__Output> = {},
): LinuxContainerSecurityContext__Output {
  return {
    capabilities: null,
    privileged: false,
    namespace_options: null,
    selinux_options: null,
    run_as_user: null,
    run_as_username: "",
    readonly_rootfs: false,
    supplemental_groups: [],
    apparmor_profile: "",
    seccomp_profile_path: "",
    no_new_privs: false,
    run_as_group: null,
    masked_paths: [],
    readonly_paths: [],
    seccomp: null,
    apparmor: null,
    supplemental_groups_policy: "Merge",
    ...overrides,
  };
}

export function resources(
  overrides: Partial<LinuxContainerResources__Output> = {},
): LinuxContainerResources__Output {
  return {
    cpu_period: "0",
    cpu_quota: "0",
    cpu_shares: "0",
    memory_limit_in_bytes: "0",
    oom_score_adj: "0",
    cpuset_cpus: "",
    cpuset_mems: "",
    hugepage_limits: [],
    unified: {},
    memory_swap_limit_in_bytes: "0",
    ...overrides,
  };
}

export function criMount(overrides: Partial<Mount__Output> = {}): Mount__Output {
  return {
    container_path: "/data",
    host_path: "/tmp",
    readonly: false,
    selinux_relabel: false,
    propagation: "PROPAGATION_PRIVATE",
    uidMappings: [],
    gidMappings: [],
    recursive_read_only: false,
    image: null,
    image_sub_path: "",
    ...overrides,
  };
}

export function containerConfig(
  overrides: Partial<ContainerConfig__Output> = {},
): ContainerConfig__Output {
  return {
    metadata: { name: "app", attempt: 0 },
    image: {
      image: "busybox:latest",
      annotations: {},
      user_specified_image: "",
      runtime_handler: "",
      image_ref: "",
    },
    command: [],
    args: [],
    working_dir: "",
    envs: [],
    mounts: [],
    devices: [],
    labels: {},
    annotations: {},
    log_path: "",
    stdin: false,
    stdin_once: false,
    tty: false,
    linux: { resources: null, security_context: securityContext() },
    windows: null,
    CDI_devices: [],
    stop_signal: "RUNTIME_DEFAULT",
    ...overrides,
  };
}

export function sandboxConfig(
  overrides: Partial<PodSandboxConfig__Output> = {},
): PodSandboxConfig__Output {
  return {
    metadata: { name: "web", uid: "uid-1", namespace: "default", attempt: 0 },
    hostname: "web-pod",
    log_directory: "",
    dns_config: null,
    port_mappings: [],
    labels: {},
    annotations: {},
    linux: {
      cgroup_parent: "",
      security_context: null,
      sysctls: {},
      overhead: null,
      resources: null,
    },
    windows: null,
    ...overrides,
  };
}

/** A SpecInput for a container of an ordinary pod (pinned net/ipc/uts, own PID namespace). */
export function specInput(rootfs: string, overrides: Partial<SpecInput> = {}): SpecInput {
  return {
    containerId: "c0ffee",
    sandboxId: "5a4b",
    sandbox: sandboxConfig(),
    container: containerConfig(),
    image: { Cmd: ["sh"], Env: ["PATH=/usr/bin:/bin"] },
    rootfs,
    cgroupsPath: "/berth/pod-5a4b/c0ffee",
    namespaces: {
      network: "/run/berth/ns/net-5a4b",
      ipc: "/run/berth/ns/ipc-5a4b",
      uts: "/run/berth/ns/uts-5a4b",
    },
    sandboxFiles: {
      hostname: "/run/berth/pods/5a4b/hostname",
      hosts: "/run/berth/pods/5a4b/hosts",
      resolvConf: "/run/berth/pods/5a4b/resolv.conf",
    },
    seccompAvailable: true,
    ...overrides,
  };
}

/** Temp dirs removed after each test of the suite that calls it. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-oci-test-"));
    made.push(dir);
    return dir;
  };
}

/** A container root under `dir` with the given /etc/passwd and /etc/group. */
export function makeRootfs(dir: string, files: { passwd?: string; group?: string } = {}): string {
  const rootfs = path.join(dir, "rootfs");
  fs.mkdirSync(path.join(rootfs, "etc"), { recursive: true });
  if (files.passwd !== undefined) fs.writeFileSync(path.join(rootfs, "etc/passwd"), files.passwd);
  if (files.group !== undefined) fs.writeFileSync(path.join(rootfs, "etc/group"), files.group);
  return rootfs;
}

export const imagePasswd = [
  "root:x:0:0:root:/root:/bin/sh",
  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
  "app:x:1000:1000::/home/app:/bin/sh",
  "web:x:1001:1002::/home/web:/bin/sh",
  "",
].join("\n");

export const imageGroup = [
  "root:x:0:",
  "nogroup:x:65534:",
  "app:x:1000:app",
  "staff:x:50000:app,web",
  "webgroup:x:1002:",
  "audio:x:29:web",
  "",
].join("\n");
