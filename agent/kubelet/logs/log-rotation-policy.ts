import { invalidArgument } from "../../../lib/errors.js";
import { parseQuantity, wholeUnits } from "../spec/quantity.js";

/** kubelet's containerLogMaxSize / containerLogMaxFiles, and how often logs are checked. */
export interface LogRotationPolicy {
  /** A live log at least this big is rotated. */
  maxSizeBytes: number;
  /** Files a container's log may have, the live one included (at least 2). */
  maxFiles: number;
  /** How often running containers' logs are checked (kubelet's containerLogMonitorInterval). */
  monitorIntervalMs: number;
}

/** kubelet's defaults: 10Mi, 5 files, checked every 10 s. */
export const defaultLogRotation: LogRotationPolicy = {
  maxSizeBytes: 10 * 1024 * 1024,
  maxFiles: 5,
  monitorIntervalMs: 10_000,
};

/**
 * --container-log-max-size: a quantity ("10Mi", "256Ki", "1G") in whole bytes. As kubelet's, a
 * negative size turns rotation off: the answer is then undefined.
 */
export function parseContainerLogMaxSize(
  text: string,
  flag = "container-log-max-size",
): number | undefined {
  const quantity = parseQuantity(text.trim(), flag);
  if (quantity.numerator < 0n) return undefined;
  const bytes = wholeUnits(quantity);
  if (bytes === 0n || bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidArgument(
      `--${flag}: ${JSON.stringify(text)} must be a positive size in bytes (negative: no rotation)`,
      { field: flag },
    );
  }
  return Number(bytes);
}

/** --container-log-max-files: a whole number, 2 or more (the live file and one rotated). */
export function parseContainerLogMaxFiles(text: string, flag = "container-log-max-files"): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 2) {
    throw invalidArgument(`--${flag}: ${JSON.stringify(text)} must be a whole number ≥ 2`, {
      field: flag,
    });
  }
  return n;
}

/** The policy with kubelet's defaults for whatever `given` leaves out (or undefined). */
export function logRotationPolicy(given: Partial<LogRotationPolicy> = {}): LogRotationPolicy {
  return {
    maxSizeBytes: given.maxSizeBytes ?? defaultLogRotation.maxSizeBytes,
    maxFiles: given.maxFiles ?? defaultLogRotation.maxFiles,
    monitorIntervalMs: given.monitorIntervalMs ?? defaultLogRotation.monitorIntervalMs,
  };
}
