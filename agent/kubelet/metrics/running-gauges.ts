import { Gauge, type Registry } from "prom-client";
import type { ContainerRecord, SandboxRecord } from "../../runtime/records.js";

/** The runtime's records, read as they are (no refresh, no process started per scrape). */
export interface RuntimeRecords {
  sandboxes: { list(): SandboxRecord[] };
  containers: { list(): ContainerRecord[] };
}

/** kubelet's container_state label values (kubecontainer.State). */
const containerStates = ["created", "running", "exited", "unknown"] as const;

/**
 * kubelet_running_pods and kubelet_running_containers, computed from the runtime's records at
 * each scrape. kubelet sets them after each PLEG relist; reading the records instead shows the
 * same numbers without a timer. Every state is exported, 0 included, so a state that empties
 * goes to 0 instead of keeping its last value.
 */
export function registerRunningGauges(registry: Registry, records: RuntimeRecords): void {
  new Gauge({
    name: "kubelet_running_pods",
    help: "Number of pods that have a running pod sandbox",
    registers: [registry],
    collect() {
      const pods = new Set<string>();
      for (const s of records.sandboxes.list()) {
        if (s.state === "ready") pods.add(s.config.metadata?.uid || s.id);
      }
      this.set(pods.size);
    },
  });
  new Gauge({
    name: "kubelet_running_containers",
    help: "Number of containers currently running",
    labelNames: ["container_state"],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(containerStates.map((s) => [s, 0]));
      for (const c of records.containers.list()) {
        const state = containerState(c);
        if (state) counts.set(state, (counts.get(state) ?? 0) + 1);
      }
      for (const [state, n] of counts) this.set({ container_state: state }, n);
    },
  });
}

/** As CRI lists it: containers being created or removed are not listed, so not counted. */
function containerState(c: ContainerRecord): (typeof containerStates)[number] | undefined {
  switch (c.state) {
    case "creating":
    case "removing":
      return undefined;
    case "created":
    case "running":
    case "exited":
      return c.state;
    default:
      return "unknown";
  }
}
