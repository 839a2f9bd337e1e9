/** Node's process.arch → Go's GOARCH, the names Docker-format seccomp profiles use. */
export function goArch(nodeArch: string): string {
  const names: Record<string, string> = {
    x64: "amd64",
    ia32: "386",
    arm: "arm",
    arm64: "arm64",
    s390x: "s390x",
    ppc64: "ppc64le", // Node runs only little-endian on Linux ppc64
    riscv64: "riscv64",
    mips: "mips",
    mipsel: "mipsle",
    loong64: "loong64",
  };
  return names[nodeArch] ?? nodeArch;
}

/** libseccomp architecture names a filter covers on a host: its own, plus the ABIs it can run. */
export const archFamilies: Record<string, string[]> = {
  amd64: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  arm64: ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
  s390x: ["SCMP_ARCH_S390X", "SCMP_ARCH_S390"],
  ppc64le: ["SCMP_ARCH_PPC64LE"],
  riscv64: ["SCMP_ARCH_RISCV64"],
};

/** The libseccomp name of a Go arch, for matching a Docker archMap entry. */
export const seccompArchOf: Record<string, string> = {
  amd64: "SCMP_ARCH_X86_64",
  "386": "SCMP_ARCH_X86",
  arm64: "SCMP_ARCH_AARCH64",
  arm: "SCMP_ARCH_ARM",
  s390x: "SCMP_ARCH_S390X",
  ppc64le: "SCMP_ARCH_PPC64LE",
  riscv64: "SCMP_ARCH_RISCV64",
  mips: "SCMP_ARCH_MIPS",
  mipsle: "SCMP_ARCH_MIPSEL",
};

/** What a conditional syscall rule is evaluated against. */
export interface SeccompContext {
  /** The container's bounding set, "CAP_…" names. */
  capabilities: readonly string[];
  /** Go arch name of the host ("amd64"). */
  arch: string;
  kernel: [number, number];
}

/** Docker's includes/excludes filter: all listed caps, one of the arches, at least minKernel. */
export interface SeccompFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: [number, number];
}

/** Docker's rule: included when every part of `includes` holds and no part of `excludes` does. */
export function ruleApplies(
  ctx: SeccompContext,
  includes?: SeccompFilter,
  excludes?: SeccompFilter,
): boolean {
  if (includes) {
    if (includes.arches?.length && !includes.arches.includes(ctx.arch)) return false;
    if (includes.caps?.some((c) => !ctx.capabilities.includes(c))) return false;
    if (includes.minKernel && !kernelAtLeast(ctx.kernel, includes.minKernel)) return false;
  }
  if (excludes) {
    if (excludes.arches?.length && excludes.arches.includes(ctx.arch)) return false;
    if (excludes.caps?.some((c) => ctx.capabilities.includes(c))) return false;
    if (excludes.minKernel && kernelAtLeast(ctx.kernel, excludes.minKernel)) return false;
  }
  return true;
}

function kernelAtLeast(kernel: [number, number], min: [number, number]): boolean {
  return kernel[0] > min[0] || (kernel[0] === min[0] && kernel[1] >= min[1]);
}
