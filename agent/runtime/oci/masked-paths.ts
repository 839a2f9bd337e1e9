import type { LinuxContainerSecurityContext__Output } from "../../../proto/gen/runtime/v1/LinuxContainerSecurityContext.js";
import { absolutePath } from "./paths.js";

/** Paths hidden from unprivileged containers (containerd's and Docker's defaults). */
export const defaultMaskedPaths: readonly string[] = [
  "/proc/acpi",
  "/proc/asound",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
  "/sys/devices/virtual/powercap",
];

/** Paths made read-only in unprivileged containers (containerd's and Docker's defaults). */
export const defaultReadonlyPaths: readonly string[] = [
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
];

/**
 * linux.maskedPaths and linux.readonlyPaths. The kubelet sends both lists explicitly (its
 * defaults for procMount Default); when a list is given it replaces the default one. An empty
 * list reads as "not given" — proto3 cannot tell them apart. Privileged containers get none.
 */
export function maskedAndReadonlyPaths(
  sc: LinuxContainerSecurityContext__Output | null | undefined,
): { maskedPaths: string[]; readonlyPaths: string[] } {
  if (sc?.privileged) return { maskedPaths: [], readonlyPaths: [] };
  const field = "config.linux.security_context";
  const pick = (given: string[] | undefined, defaults: readonly string[], name: string) =>
    given && given.length > 0
      ? given.map((p, i) => absolutePath(p, `${field}.${name}[${i}]`))
      : [...defaults];
  return {
    maskedPaths: pick(sc?.masked_paths, defaultMaskedPaths, "masked_paths"),
    readonlyPaths: pick(sc?.readonly_paths, defaultReadonlyPaths, "readonly_paths"),
  };
}
