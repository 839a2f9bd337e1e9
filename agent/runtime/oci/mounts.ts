import path from "node:path";
import { invalidArgument, unimplemented } from "../../../lib/errors.js";
import type { Mount__Output } from "../../../proto/gen/runtime/v1/Mount.js";
import type { OciLinux, OciMount } from "./oci-spec.js";
import { absolutePath, realHostPath } from "./paths.js";

/** The mounts every container gets, as containerd's CRI plugin has them (without /run). */
export function defaultMounts(privileged: boolean): OciMount[] {
  const sysMode = privileged ? "rw" : "ro";
  return [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    },
    {
      destination: "/dev/mqueue",
      type: "mqueue",
      source: "mqueue",
      options: ["nosuid", "noexec", "nodev"],
    },
    {
      destination: "/sys",
      type: "sysfs",
      source: "sysfs",
      options: ["nosuid", "noexec", "nodev", sysMode],
    },
    {
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: ["nosuid", "noexec", "nodev", "relatime", sysMode],
    },
  ];
}

/** A bind mount the runtime adds itself (the pod's /etc files, /dev/shm). */
export interface ExtraMount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

export interface ContainerMounts {
  mounts: OciMount[];
  rootfsPropagation?: OciLinux["rootfsPropagation"];
}

const propagationOption = {
  PROPAGATION_PRIVATE: "rprivate",
  PROPAGATION_HOST_TO_CONTAINER: "rslave",
  PROPAGATION_BIDIRECTIONAL: "rshared",
} as const;

/**
 * All of a container's mounts: the defaults, minus any a supplied mount replaces (and everything
 * under /dev when /dev itself is supplied); the runtime's extra mounts, minus any the CRI mounts
 * replace; the CRI mounts as recursive binds of their real host paths. Sorted by depth (stable),
 * so a parent is always mounted before anything inside it.
 */
export function containerMounts(
  criMounts: Mount__Output[],
  extra: ExtraMount[],
  privileged: boolean,
): ContainerMounts {
  const cri = criMounts.map((m, i) => criMount(m, `config.mounts[${i}]`));
  const seen = new Map<string, number>();
  cri.forEach((m, i) => {
    const first = seen.get(m.mount.destination);
    if (first !== undefined) {
      const field = `config.mounts[${i}].container_path`;
      throw invalidArgument(
        `${field}: ${m.mount.destination} is already mounted by config.mounts[${first}]`,
        {
          field,
        },
      );
    }
    seen.set(m.mount.destination, i);
  });

  const supplied: OciMount[] = [
    ...extra
      .filter((e) => !seen.has(path.posix.normalize(e.containerPath)))
      .map((e) => bind(e.hostPath, path.posix.normalize(e.containerPath), "rprivate", e.readonly)),
    ...cri.map((m) => m.mount),
  ];
  const replaced = new Set(supplied.map((m) => m.destination));
  const defaults = defaultMounts(privileged).filter(
    (m) =>
      !replaced.has(m.destination) && !(replaced.has("/dev") && m.destination.startsWith("/dev/")),
  );

  const depth = (m: OciMount) => m.destination.split("/").length;
  const mounts = [...defaults, ...supplied]
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i)
    .map(({ m }) => m);

  const propagations = cri.map((m) => m.propagation);
  const rootfsPropagation = propagations.includes("rshared")
    ? "rshared"
    : propagations.includes("rslave")
      ? "rslave"
      : undefined;
  return { mounts, ...(rootfsPropagation ? { rootfsPropagation } : {}) };
}

function criMount(m: Mount__Output, field: string): { mount: OciMount; propagation: string } {
  const destination = absolutePath(m.container_path, `${field}.container_path`);
  if (destination === "/") {
    throw invalidArgument(`${field}.container_path: cannot mount over the container's root`, {
      field: `${field}.container_path`,
    });
  }
  if (m.image?.image) {
    throw unimplemented(`${field}.image: image volumes are not supported`, {
      field: `${field}.image`,
    });
  }
  if ((m.uidMappings?.length ?? 0) > 0 || (m.gidMappings?.length ?? 0) > 0) {
    throw unimplemented(`${field}: id-mapped mounts are not supported (no user namespaces)`, {
      field: `${field}.uidMappings`,
    });
  }
  const source = realHostPath(m.host_path, `${field}.host_path`);
  const propagation =
    propagationOption[m.propagation as keyof typeof propagationOption] ?? "rprivate";
  const mount = bind(source, destination, propagation, m.readonly);
  if (m.recursive_read_only) {
    if (!m.readonly) {
      throw invalidArgument(`${field}.recursive_read_only: needs readonly too`, {
        field: `${field}.recursive_read_only`,
      });
    }
    if (propagation !== "rprivate") {
      throw invalidArgument(`${field}.recursive_read_only: needs PROPAGATION_PRIVATE`, {
        field: `${field}.recursive_read_only`,
      });
    }
    mount.options.push("rro");
  }
  return { mount, propagation };
}

function bind(
  source: string,
  destination: string,
  propagation: string,
  readonly: boolean,
): OciMount {
  return {
    destination,
    type: "bind",
    source,
    options: ["rbind", propagation, readonly ? "ro" : "rw"],
  };
}
