import type { Logger } from "../../../lib/logger.js";
import type { Container, Pod } from "../../kube/types.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { containerRef } from "../sync/sync-deps.js";
import type { ProbeResult, ProbeResultsPort } from "../sync/sync-ports.js";
import { systemClock, type ProbeClock } from "./probe-clock.js";
import { probeField, probedContainers } from "./probed-containers.js";
import { probeKinds, probeKindTitle, type ProbeKind } from "./probe-outcome.js";
import { ProbeResults } from "./probe-results.js";
import { runProbe, type RecordEvent } from "./probe-runner.js";
import { probeSettings } from "./probe-settings.js";
import { ProbeWorker, type WorkerContext, type WorkerTarget } from "./probe-worker.js";

export interface ProbeManagerOptions {
  /** For exec probes (ExecSync). */
  runtime: Pick<KubeletRuntime, "execSync">;
  /** The pod's primary IP (the node's for a host-network pod), for probes without a host. */
  podIP(podUid: string): string | undefined | Promise<string | undefined>;
  recordEvent: RecordEvent;
  /** A probe result of one of the pod's containers changed: sync the pod. */
  onChange(podUid: string): void;
  logger: Logger;
  clock?: ProbeClock;
  /** For the start-up jitter (default Math.random). */
  random?: () => number;
}

/** A running instance of one of a pod's containers. */
export interface RunningContainer {
  name: string;
  id: string;
  /** Epoch ms (default: when it is first seen). */
  startedAt?: number;
}

interface Tracked {
  podUid: string;
  workers: Map<ProbeKind, ProbeWorker>;
}

const initialResults: Partial<Record<ProbeKind, ProbeResult>> = {
  liveness: "success",
  readiness: "failure",
};

/**
 * kubelet's prober manager: a worker per probe of each running container, the results they
 * agree on (ProbeResultsPort) and a call to onChange when one changes. A container's readiness
 * starts as failure and its liveness as success; startup has none until it is decided, and
 * gates the other two.
 */
export class ProbeManager implements ProbeResultsPort {
  private readonly results = new ProbeResults();
  private readonly containers = new Map<string, Tracked>();
  private readonly pods = new Map<string, Pod>();
  private readonly clock: ProbeClock;
  private readonly createdAt: number;
  private readonly context: WorkerContext;

  constructor(private readonly options: ProbeManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.createdAt = this.clock.now();
    this.context = {
      clock: this.clock,
      logger: options.logger,
      pod: (uid) => this.pods.get(uid),
      podIP: async (uid) => options.podIP(uid),
      startupResult: (id) => this.results.startup(id),
      run: (kind, probe, timeout, target, live) => {
        const recordEvent: RecordEvent = (...event) => {
          if (live()) options.recordEvent(...event);
        };
        const deps = { runtime: options.runtime, recordEvent, logger: options.logger };
        return runProbe(deps, kind, probe, timeout, target);
      },
      set: (kind, target, result) => this.store(kind, target, result),
    };
  }

  liveness(containerId: string): ProbeResult | undefined {
    return this.results.liveness(containerId);
  }

  readiness(containerId: string): ProbeResult | undefined {
    return this.results.readiness(containerId);
  }

  startup(containerId: string): ProbeResult | undefined {
    return this.results.startup(containerId);
  }

  /**
   * Starts probing a container that just started (or was adopted). Again for the same id it
   * only refreshes the pod object, as updatePod does.
   */
  add(pod: Pod, container: Container, containerId: string, startedAt?: number): void {
    const uid = pod.metadata?.uid ?? "";
    this.pods.set(uid, pod);
    if (this.containers.has(containerId)) return;
    const tracked: Tracked = { podUid: uid, workers: new Map() };
    this.containers.set(containerId, tracked);
    const target = { pod, container, containerId, startedAt: startedAt ?? this.clock.now() };
    for (const kind of probeKinds) {
      const probe = container[`${kind}Probe`];
      if (!probe) continue;
      let settings;
      try {
        settings = probeSettings(probe, kind, probeField(pod, container, kind));
      } catch (err) {
        const message = `${probeKindTitle(kind)} probe errored: ${(err as Error).message}`;
        this.options.logger.warn("invalid probe", { pod: uid, container: container.name, message });
        this.options.recordEvent(containerRef(pod, container), "Warning", "Unhealthy", message);
        continue;
      }
      const initial = initialResults[kind];
      if (initial) this.results.set(kind, containerId, initial);
      const worker = new ProbeWorker(this.context, kind, target, probe, settings);
      tracked.workers.set(kind, worker);
      worker.start(this.jitter(settings.periodSeconds));
    }
  }

  /** Keeps the pod object current: a deletion stops its liveness and startup probes. */
  updatePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? "";
    if (this.pods.has(uid)) this.pods.set(uid, pod);
  }

  /**
   * Probes exactly the pod's running containers that have probes (its containers and sidecars):
   * starts workers for new ones and removes those of containers no longer running.
   */
  syncPod(pod: Pod, running: RunningContainer[]): void {
    const uid = pod.metadata?.uid ?? "";
    const specs = probedContainers(pod);
    const wanted = running.filter((c) => specs.has(c.name));
    const ids = new Set(wanted.map((c) => c.id));
    for (const [id, tracked] of this.containers) {
      if (tracked.podUid === uid && !ids.has(id)) this.remove(id);
    }
    for (const c of wanted) this.add(pod, specs.get(c.name)!, c.id, c.startedAt);
    this.updatePod(pod);
  }

  /** Stops probing a container (it died or was removed) and forgets its results. */
  remove(containerId: string): void {
    const tracked = this.containers.get(containerId);
    if (!tracked) return;
    for (const worker of tracked.workers.values()) worker.stop();
    this.containers.delete(containerId);
    this.results.delete(containerId);
    if (![...this.containers.values()].some((t) => t.podUid === tracked.podUid)) {
      this.pods.delete(tracked.podUid);
    }
  }

  removePod(uid: string): void {
    for (const [id, tracked] of this.containers) if (tracked.podUid === uid) this.remove(id);
    this.pods.delete(uid);
  }

  /** Stops every worker (the agent is shutting down). */
  stop(): void {
    for (const id of [...this.containers.keys()]) this.remove(id);
  }

  private store(kind: ProbeKind, target: WorkerTarget, result: ProbeResult): void {
    const tracked = this.containers.get(target.containerId);
    if (!tracked || !this.results.set(kind, target.containerId, result)) return;
    if (kind === "startup" && result === "success") tracked.workers.get("readiness")?.trigger();
    this.options.onChange(tracked.podUid);
  }

  /** kubelet spreads the first probes over a period when it has just started (after a restart). */
  private jitter(periodSeconds: number): number {
    const period = periodSeconds * 1000;
    if (this.clock.now() - this.createdAt >= period) return 0;
    return Math.floor((this.options.random ?? Math.random)() * period);
  }
}
