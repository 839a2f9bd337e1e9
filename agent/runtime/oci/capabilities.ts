import { invalidArgument } from "../../../lib/errors.js";
import type { Capability__Output } from "../../../proto/gen/runtime/v1/Capability.js";
import type { OciCapabilities } from "./oci-spec.js";

/** Every capability of the Linux kernel, by bit number (CAP_LAST_CAP is 40 since Linux 5.9). */
export const allCapabilities: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** Docker's default set, which containerd and CRI-O also start from. */
export const defaultCapabilities: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/** The names of the bits set in a /proc/<pid>/status Cap* mask. */
export function capabilitiesFromMask(mask: bigint): string[] {
  return allCapabilities.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** "net_admin", "CAP_NET_ADMIN", "Net_Admin" → "CAP_NET_ADMIN"; unknown names are refused. */
export function normalizeCapability(name: string, field: string): string {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
  if (!allCapabilities.includes(full)) {
    throw invalidArgument(`${field}: unknown capability ${JSON.stringify(name)}`, { field });
  }
  return full;
}

const isAll = (name: string) => name.trim().toUpperCase() === "ALL";

/**
 * The container's capability sets. Unprivileged: Docker's defaults, then (as containerd does) add
 * "ALL" → everything the agent holds, drop "ALL" → nothing, then the named adds, then the named
 * drops — so drop wins over add, and drop ALL + add X is just X. Privileged: everything the agent
 * holds. Effective and permitted equal the bounding set for every user, as in containerd: runc
 * keeps them across its setuid, and the kernel clears them at the exec of a non-root program
 * because inheritable and ambient stay empty — unless add_ambient_capabilities names some.
 */
export function containerCapabilities(
  caps: Capability__Output | null | undefined,
  privileged: boolean,
  hostCapabilities: readonly string[],
  field = "config.linux.security_context.capabilities",
): OciCapabilities {
  const held = allCapabilities.filter((c) => hostCapabilities.includes(c));
  if (privileged) return sets(held, []);

  let set = new Set(defaultCapabilities.filter((c) => held.includes(c)));
  const add = caps?.add_capabilities ?? [];
  const drop = caps?.drop_capabilities ?? [];
  if (add.some(isAll)) set = new Set(held);
  if (drop.some(isAll)) set = new Set();
  add.forEach((name, i) => {
    if (isAll(name)) return;
    const f = `${field}.add_capabilities[${i}]`;
    const cap = normalizeCapability(name, f);
    if (!held.includes(cap)) {
      throw invalidArgument(
        `${f}: ${cap} is not held by the agent on this node, so runc cannot grant it`,
        {
          field: f,
        },
      );
    }
    set.add(cap);
  });
  drop.forEach((name, i) => {
    if (!isAll(name)) set.delete(normalizeCapability(name, `${field}.drop_capabilities[${i}]`));
  });

  const bounding = allCapabilities.filter((c) => set.has(c));
  const ambient = (caps?.add_ambient_capabilities ?? []).map((name, i) => {
    const f = `${field}.add_ambient_capabilities[${i}]`;
    const cap = normalizeCapability(name, f);
    if (!set.has(cap)) {
      throw invalidArgument(`${f}: ambient ${cap} must also be in the container's capability set`, {
        field: f,
      });
    }
    return cap;
  });
  return sets(bounding, [...new Set(ambient)]);
}

function sets(bounding: string[], ambient: string[]): OciCapabilities {
  return {
    bounding,
    effective: [...bounding],
    permitted: [...bounding],
    inheritable: [...ambient],
    ambient,
  };
}
