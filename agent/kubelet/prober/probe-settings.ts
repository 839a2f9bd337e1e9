import { invalidArgument } from "../../../lib/errors.js";
import type { Probe } from "../../kube/types.js";
import type { ProbeKind } from "./probe-outcome.js";

/** A probe's timing, with the API's defaults filled in. */
export interface ProbeSettings {
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

const handlers = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/**
 * The API server's defaults (a missing or zero timeout is 1 s, period 10 s, thresholds 1 and 3)
 * and its validation — the API usually did both already, but a pod may come from elsewhere:
 * an invalid probe throws InvalidArgument naming the field (`field` is the probe's path).
 */
export function probeSettings(probe: Probe, kind: ProbeKind, field: string): ProbeSettings {
  const set = handlers.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (set.length !== 1) {
    throw invalidArgument(
      set.length === 0
        ? `${field}: must specify a handler type`
        : `${field}: may not specify more than 1 handler type`,
      { field },
    );
  }
  const settings: ProbeSettings = {
    initialDelaySeconds: count(probe, "initialDelaySeconds", 0, 0, field),
    timeoutSeconds: count(probe, "timeoutSeconds", 1, 1, field),
    periodSeconds: count(probe, "periodSeconds", 10, 1, field),
    successThreshold: count(probe, "successThreshold", 1, 1, field),
    failureThreshold: count(probe, "failureThreshold", 3, 1, field),
  };
  if (kind !== "readiness" && settings.successThreshold !== 1) {
    throw invalidArgument(`${field}.successThreshold: must be 1 for a ${kind} probe`, {
      field: `${field}.successThreshold`,
    });
  }
  return settings;
}

function count(
  probe: Probe,
  name: keyof ProbeSettings,
  fallback: number,
  min: number,
  field: string,
): number {
  const value = probe[name];
  if (value === undefined || value === null || (value === 0 && min > 0)) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw invalidArgument(`${field}.${name}: must be an integer of at least ${min}, not ${value}`, {
      field: `${field}.${name}`,
    });
  }
  return value;
}
