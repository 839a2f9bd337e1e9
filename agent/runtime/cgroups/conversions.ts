import { invalidArgument } from "../../../lib/errors.js";

// v1 ↔ v2 value conversions, the same formulas runc and the kubelet use, so a limit means the
// same thing whichever version a node runs.

export const minShares = 2;
export const maxShares = 262144;
export const minWeight = 1;
export const maxWeight = 10000;

/** cpu.shares (2–262144) → cpu.weight (1–10000): 1 + ((shares − 2) × 9999) / 262142, truncated. */
export function cpuSharesToWeight(shares: number): number {
  const clamped = Math.min(Math.max(shares, minShares), maxShares);
  return 1 + Math.floor(((clamped - 2) * 9999) / 262142);
}

/** cpu.weight → cpu.shares, the inverse mapping: 2 + ((weight − 1) × 262142) / 9999, truncated. */
export function cpuWeightToShares(weight: number): number {
  const clamped = Math.min(Math.max(weight, minWeight), maxWeight);
  return 2 + Math.floor(((clamped - 1) * 262142) / 9999);
}

/**
 * v2 memory.swap.max from OCI/v1 memory+swap ("memsw") and memory limits, as runc converts it:
 * unset stays unset, -1 is "max", otherwise swap = memsw − memory. Memory set to unlimited with
 * swap unset means both unlimited.
 */
export function memorySwapToV2(
  memory: number | undefined,
  memsw: number | undefined,
): number | "max" | undefined {
  if (memory === -1 && memsw === undefined) return "max";
  if (memsw === undefined) return undefined;
  if (memsw === -1) return "max";
  if (memory === undefined || memory === -1) {
    throw invalidArgument(`a swap limit (memory+swap ${memsw}) needs a memory limit`, {
      field: "memorySwapLimitBytes",
    });
  }
  if (memsw < memory) {
    throw invalidArgument(`memory+swap limit ${memsw} is below the memory limit ${memory}`, {
      field: "memorySwapLimitBytes",
    });
  }
  return memsw - memory;
}

/** v1 memsw from v2 memory.max and memory.swap.max (for reading a v2 setting back in v1 terms). */
export function memorySwapFromV2(memory: number | "max", swap: number | "max"): number | "max" {
  return memory === "max" || swap === "max" ? "max" : memory + swap;
}

/**
 * The cpu.max line ("<quota|max> <period>") for a quota and/or period; the part not given keeps
 * its `current` value, so updating the period alone does not drop the quota.
 */
export function cpuMaxLine(
  quotaUs: number | undefined,
  periodUs: number | undefined,
  current = "max 100000",
): string {
  const [currentQuota = "max", currentPeriod = "100000"] = current.trim().split(/\s+/);
  const quota = quotaUs === undefined ? currentQuota : quotaUs < 0 ? "max" : String(quotaUs);
  const period = periodUs === undefined ? currentPeriod : String(periodUs);
  return `${quota} ${period}`;
}

/** A limit as a v2 file value: -1 (or "max") is "max". */
export function v2Limit(value: number | "max"): string {
  return value === "max" || value < 0 ? "max" : String(value);
}
