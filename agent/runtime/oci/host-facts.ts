import fs from "node:fs";
import os from "node:os";
import { capabilitiesFromMask } from "./capabilities.js";

/** What buildSpec needs to know about the node; detected once, or given by tests. */
export interface HostFacts {
  /**
   * Capabilities the agent holds (its effective set). runc, started by the agent through conmon,
   * can grant a container no more than these: "ALL" and privileged mean these, as in containerd.
   */
  capabilities: readonly string[];
  /** 2 only when /sys/fs/cgroup is cgroup2 (pure v2); v1 and hybrid hosts are 1. */
  cgroupVersion: 1 | 2;
  /** Whether a memory+swap limit can be set (v1 memsw files, v2 memory.swap.max). */
  swapAccounting: boolean;
  /** Whether the hierarchy runc sets limits through has the hugetlb controller. */
  hugetlb: boolean;
  /** Node's process.arch ("x64", "arm64"…). */
  arch: string;
  /** Running kernel as [major, minor]. */
  kernel: [number, number];
  /** Where host device nodes live (privileged containers get all of them). */
  devRoot: string;
  /** The node's hostname, for HOSTNAME when the pod has none. */
  hostname: string;
}

const cgroup2Magic = 0x63677270;
let detected: HostFacts | undefined;

/** The running node's facts, read once per process. */
export function hostFacts(): HostFacts {
  detected ??= detectHostFacts();
  return detected;
}

export function detectHostFacts(cgroupRoot = "/sys/fs/cgroup"): HostFacts {
  const cgroupVersion = statfsType(cgroupRoot) === cgroup2Magic ? 2 : 1;
  return {
    capabilities: ownCapabilities(),
    cgroupVersion,
    swapAccounting:
      cgroupVersion === 2
        ? fs.existsSync(`${cgroupRoot}${ownV2Cgroup()}/memory.swap.max`)
        : fs.existsSync(`${cgroupRoot}/memory/memory.memsw.limit_in_bytes`),
    hugetlb:
      cgroupVersion === 2
        ? readOr(`${cgroupRoot}/cgroup.controllers`, "").split(/\s+/).includes("hugetlb")
        : fs.existsSync(`${cgroupRoot}/hugetlb`),
    arch: process.arch,
    kernel: parseKernelRelease(os.release()),
    devRoot: "/dev",
    hostname: os.hostname(),
  };
}

/** "6.18.0-1-amd64" → [6, 18]; unparsable → [0, 0]. */
export function parseKernelRelease(release: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function ownCapabilities(): string[] {
  const status = readOr("/proc/self/status", "");
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex ? capabilitiesFromMask(BigInt(`0x${hex}`)) : [];
}

function ownV2Cgroup(): string {
  const line = readOr("/proc/self/cgroup", "")
    .split("\n")
    .find((l) => l.startsWith("0::"));
  const p = line?.slice(3) ?? "/";
  return p === "/" ? "" : p;
}

function statfsType(p: string): number | undefined {
  try {
    return fs.statfsSync(p).type;
  } catch {
    return undefined;
  }
}

function readOr(p: string, fallback: string): string {
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return fallback;
  }
}
