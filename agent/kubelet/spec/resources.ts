import type { Container, Pod } from "../../kube/types.js";
import type { LinuxContainerResources } from "../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import { containerLimits, containerRequests, podLimits, podRequests } from "./pod-resources.js";
import { containerOomScoreAdj } from "./qos.js";
import { milliUnits, parseQuantity, wholeUnits, zeroQuantity, type Quantity } from "./quantity.js";

const minShares = 2n;
const maxShares = 262_144n;
const sharesPerCpu = 1024n;
/** The CFS period kubelet uses: 100 ms, in µs. */
export const cpuPeriodMicros = 100_000n;
const minQuotaMicros = 1000n;

/** cpu.shares for a cpu request: 1024 per cpu, at least 2 (the kernel's floor), at most 262144. */
export function milliCpuToShares(milliCpu: bigint): bigint {
  if (milliCpu === 0n) return minShares;
  const shares = (milliCpu * sharesPerCpu) / 1000n;
  return shares < minShares ? minShares : shares > maxShares ? maxShares : shares;
}

/** CFS quota for a cpu limit over a period: 0 (unlimited) without a limit, else at least 1 ms. */
export function milliCpuToQuota(milliCpu: bigint, periodMicros = cpuPeriodMicros): bigint {
  if (milliCpu === 0n) return 0n;
  const quota = (milliCpu * periodMicros) / 1000n;
  return quota < minQuotaMicros ? minQuotaMicros : quota;
}

export interface LinuxResourceOptions {
  /** cgroup v2: ask the kernel to OOM-kill the whole container, as kubelet does by default there. */
  cgroupV2?: boolean;
}

/**
 * kubelet's calculateLinuxResources: shares from the cpu request (from the limit when no request
 * was given), quota from the cpu limit over a 100 ms period, the memory limit in bytes (0 = none).
 * int64 fields are decimal strings, as the CRI's long values travel.
 */
export function linuxResources(
  cpuRequest: Quantity | undefined,
  cpuLimit: Quantity | undefined,
  memoryLimit: Quantity | undefined,
  options: LinuxResourceOptions = {},
): LinuxContainerResources {
  const limitMilli = cpuLimit ? milliUnits(cpuLimit) : 0n;
  const shares = milliCpuToShares(cpuRequest ? milliUnits(cpuRequest) : limitMilli);
  return {
    cpu_period: String(cpuPeriodMicros),
    cpu_quota: String(milliCpuToQuota(limitMilli)),
    cpu_shares: String(shares),
    memory_limit_in_bytes: String(memoryLimit ? wholeUnits(memoryLimit) : 0n),
    ...(options.cgroupV2 ? { unified: { "memory.oom.group": "1" } } : {}),
  };
}

/** A container's linux.resources: its cpu/memory and its QoS oom_score_adj. Hugepages are not set. */
export function containerLinuxResources(
  pod: Pod,
  container: Container,
  memoryCapacityBytes: bigint,
  options: LinuxResourceOptions = {},
): LinuxContainerResources {
  const requests = containerRequests(pod, container);
  const limits = containerLimits(pod, container);
  return {
    ...linuxResources(requests.get("cpu"), limits.get("cpu"), limits.get("memory"), options),
    oom_score_adj: String(containerOomScoreAdj(pod, container, memoryCapacityBytes)),
  };
}

/**
 * The sandbox's linux.resources (what the whole pod requests and limits, overhead excluded) and
 * linux.overhead (spec.overhead, treated as both request and limit).
 */
export function sandboxLinuxResources(
  pod: Pod,
  options: LinuxResourceOptions = {},
): { resources: LinuxContainerResources; overhead: LinuxContainerResources } {
  const requests = podRequests(pod);
  const limits = podLimits(pod);
  const overhead = pod.spec?.overhead ?? {};
  const parse = (name: string) =>
    overhead[name] === undefined
      ? undefined
      : parseQuantity(overhead[name], `spec.overhead.${name}`);
  const hasOverhead = Object.keys(overhead).length > 0;
  const cpu = parse("cpu");
  return {
    resources: linuxResources(
      requests.get("cpu"),
      limits.get("cpu"),
      limits.get("memory"),
      options,
    ),
    overhead: hasOverhead ? linuxResources(cpu ?? zeroQuantity, cpu, parse("memory"), options) : {},
  };
}
