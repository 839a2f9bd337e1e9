import { invalidArgument } from "../../lib/errors.js";

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: a node silent this long is Unknown (default 40 s). */
  gracePeriodMs?: number;
  /** A node that never posted a Ready condition gets this long from its creation (default 60 s). */
  startupGracePeriodMs?: number;
  /** How often every node is checked (default grace/8, at most 1 s). */
  monitorPeriodMs?: number;
}

export interface NodeLifecycleSettings {
  gracePeriodMs: number;
  startupGracePeriodMs: number;
  monitorPeriodMs: number;
}

export const defaultGracePeriodMs = 40_000;
export const defaultStartupGracePeriodMs = 60_000;
const maxMs = 24 * 3_600_000;

/** The node lifecycle controller's settings, defaults filled in; bad values name their option. */
export function nodeLifecycleSettings(options: NodeLifecycleOptions = {}): NodeLifecycleSettings {
  const gracePeriodMs = checked(options.gracePeriodMs ?? defaultGracePeriodMs, "gracePeriodMs");
  const startupGracePeriodMs = checked(
    options.startupGracePeriodMs ?? Math.max(defaultStartupGracePeriodMs, gracePeriodMs),
    "startupGracePeriodMs",
  );
  const monitorPeriodMs = checked(
    options.monitorPeriodMs ?? Math.max(50, Math.min(1000, gracePeriodMs / 8)),
    "monitorPeriodMs",
  );
  return { gracePeriodMs, startupGracePeriodMs, monitorPeriodMs };
}

function checked(ms: number, field: string): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 1 || ms > maxMs) {
    throw invalidArgument(
      `${field} must be a duration from 1 ms to 24 h in milliseconds, not ${JSON.stringify(ms)}`,
      { field },
    );
  }
  return ms;
}
