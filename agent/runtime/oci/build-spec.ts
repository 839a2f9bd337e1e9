import path from "node:path";
import { failedPrecondition, invalidArgument, unimplemented } from "../../../lib/errors.js";
import { criAnnotations } from "./annotations.js";
import { containerCapabilities } from "./capabilities.js";
import { allowAllDevices, criDevices, defaultDeviceRules, devicesUnder } from "./devices.js";
import { readUserDatabase } from "./etc-files.js";
import { hostFacts, type HostFacts } from "./host-facts.js";
import { maskedAndReadonlyPaths } from "./masked-paths.js";
import { containerMounts, type ExtraMount } from "./mounts.js";
import { absolutePath } from "./paths.js";
import { linuxNamespaces } from "./namespaces.js";
import { ociVersion, type OciSpec } from "./oci-spec.js";
import { processArgs } from "./process-args.js";
import { processEnv } from "./process-env.js";
import { processUser } from "./process-user.js";
import { linuxResources, oomScoreAdj } from "./resources.js";
import { goArch } from "./seccomp-conditions.js";
import { containerSeccomp } from "./seccomp-profile.js";
import type { SpecInput } from "./spec-input.js";
import { containerSysctls } from "./sysctls.js";

const scField = "config.linux.security_context";

/**
 * The OCI runtime spec (config.json for runc 1.1) of a CRI container, built the way containerd's
 * CRI plugin builds it. Reads only the image's /etc/passwd and /etc/group (inside the rootfs),
 * the CRI mounts' and devices' host paths, a localhost seccomp profile, and — for privileged
 * containers — the host's /dev. Bad input is InvalidArgument naming the field.
 *
 * process.rlimits is left out, as containerd's CRI plugin leaves it out: the container inherits
 * the agent's limits through conmon and runc. A fixed RLIMIT_NOFILE above the agent's own hard
 * limit would make runc fail on these nodes, where root lacks CAP_SYS_RESOURCE (host.md).
 */
export function buildSpec(input: SpecInput, host: HostFacts = hostFacts()): OciSpec {
  const { container, sandbox, image } = input;
  const sc = container.linux?.security_context ?? null;
  const privileged = sc?.privileged ?? false;
  if (privileged && !sandbox.linux?.security_context?.privileged) {
    throw invalidArgument(
      `${scField}.privileged: a privileged container needs a privileged pod sandbox`,
      {
        field: `${scField}.privileged`,
      },
    );
  }
  const userns = sc?.namespace_options?.userns_options;
  if (userns && userns.mode !== "NODE") {
    throw unimplemented(
      `${scField}.namespace_options.userns_options: user namespaces are not supported`,
      {
        field: `${scField}.namespace_options.userns_options`,
      },
    );
  }
  const pidMode = sc?.namespace_options?.pid;
  if ((pidMode === "POD" || pidMode === "TARGET") && !input.namespaces.pid) {
    throw failedPrecondition(
      `${scField}.namespace_options.pid: ${pidMode} needs a PID namespace to join`,
      {
        field: `${scField}.namespace_options.pid`,
      },
    );
  }

  const hostname = sandbox.hostname || host.hostname;
  const capabilities = containerCapabilities(sc?.capabilities, privileged, host.capabilities);
  const resources = container.linux?.resources ?? null;
  const readonlyRoot = sc?.readonly_rootfs ?? false;

  const { mounts, rootfsPropagation } = containerMounts(
    container.mounts ?? [],
    extraMounts(input, readonlyRoot),
    privileged,
  );
  const devices = privileged
    ? { devices: devicesUnder(host.devRoot, "/dev"), rules: [...allowAllDevices] }
    : (() => {
        const cri = criDevices(container.devices ?? []);
        return { devices: cri.devices, rules: [...defaultDeviceRules, ...cri.rules] };
      })();
  const seccomp = containerSeccomp(
    sc,
    { capabilities: capabilities.bounding, arch: goArch(host.arch), kernel: host.kernel },
    input.seccompAvailable,
  );
  const sysctl = containerSysctls(sandbox.linux?.sysctls, input.namespaces);

  return {
    ociVersion,
    process: {
      terminal: container.tty ?? false,
      user: processUser(sc, image.User, readUserDatabase(input.rootfs)),
      args: processArgs(container.command ?? [], container.args ?? [], image),
      env: processEnv(image.Env, container.envs ?? [], hostname),
      cwd: workingDir(container.working_dir, image.WorkingDir),
      capabilities,
      noNewPrivileges: sc?.no_new_privs ?? false,
      oomScoreAdj: oomScoreAdj(resources),
    },
    root: { path: input.rootfs, readonly: readonlyRoot },
    ...(input.namespaces.uts && sandbox.hostname ? { hostname: sandbox.hostname } : {}),
    mounts,
    annotations: criAnnotations(input.sandboxId, sandbox, container),
    linux: {
      namespaces: linuxNamespaces(input.namespaces, pidMode, {
        cgroupVersion: host.cgroupVersion,
        privileged,
      }),
      devices: devices.devices,
      cgroupsPath: input.cgroupsPath,
      resources: { devices: devices.rules, ...linuxResources(resources, host) },
      ...(rootfsPropagation ? { rootfsPropagation } : {}),
      ...(seccomp ? { seccomp } : {}),
      ...(sysctl ? { sysctl } : {}),
      ...maskedAndReadonlyPaths(sc),
    },
  };
}

/**
 * The pod's /etc/hostname, /etc/hosts and /etc/resolv.conf (read-only with a read-only root, as
 * in containerd), and /dev/shm: the host's for host IPC, else the pod's when it has one.
 */
function extraMounts(input: SpecInput, readonlyRoot: boolean): ExtraMount[] {
  const files = input.sandboxFiles;
  const out: ExtraMount[] = [];
  if (files.hostname)
    out.push({ containerPath: "/etc/hostname", hostPath: files.hostname, readonly: readonlyRoot });
  if (files.hosts)
    out.push({ containerPath: "/etc/hosts", hostPath: files.hosts, readonly: readonlyRoot });
  if (files.resolvConf) {
    out.push({
      containerPath: "/etc/resolv.conf",
      hostPath: files.resolvConf,
      readonly: readonlyRoot,
    });
  }
  const shm = input.namespaces.ipc ? files.shm : "/dev/shm";
  if (shm) out.push({ containerPath: "/dev/shm", hostPath: shm, readonly: false });
  return out;
}

function workingDir(criDir: string | undefined, imageDir: string | undefined): string {
  if (criDir) return absolutePath(criDir, "config.working_dir");
  if (imageDir) return path.posix.join("/", imageDir);
  return "/";
}
