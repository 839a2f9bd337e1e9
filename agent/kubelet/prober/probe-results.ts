import type { ProbeResult, ProbeResultsPort } from "../sync/sync-ports.js";
import type { ProbeKind } from "./probe-outcome.js";

/**
 * kubelet's results managers, one map per probe kind: the current result of each container's
 * probe by runtime id. Absent means none yet (startup's "Unknown").
 */
export class ProbeResults implements ProbeResultsPort {
  private readonly byKind: Record<ProbeKind, Map<string, ProbeResult>> = {
    liveness: new Map(),
    readiness: new Map(),
    startup: new Map(),
  };

  liveness(containerId: string): ProbeResult | undefined {
    return this.byKind.liveness.get(containerId);
  }

  readiness(containerId: string): ProbeResult | undefined {
    return this.byKind.readiness.get(containerId);
  }

  startup(containerId: string): ProbeResult | undefined {
    return this.byKind.startup.get(containerId);
  }

  /** Stores a result; true when it differs from the one before. */
  set(kind: ProbeKind, containerId: string, result: ProbeResult): boolean {
    const map = this.byKind[kind];
    if (map.get(containerId) === result) return false;
    map.set(containerId, result);
    return true;
  }

  /** Forgets every result of the container. */
  delete(containerId: string): void {
    for (const map of Object.values(this.byKind)) map.delete(containerId);
  }
}
