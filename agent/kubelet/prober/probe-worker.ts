import type { Logger } from "../../../lib/logger.js";
import type { Container, Pod, Probe } from "../../kube/types.js";
import type { ProbeResult } from "../sync/sync-ports.js";
import type { ProbeClock } from "./probe-clock.js";
import type { ProbeKind } from "./probe-outcome.js";
import type { ProbeTarget } from "./probe-runner.js";
import type { ProbeSettings } from "./probe-settings.js";

/** What a worker needs from its manager. */
export interface WorkerContext {
  clock: ProbeClock;
  logger: Logger;
  /** The pod as last given to the manager (to see a deletion). */
  pod(uid: string): Pod | undefined;
  podIP(uid: string): Promise<string | undefined>;
  startupResult(containerId: string): ProbeResult | undefined;
  /** Runs the probe; its events are dropped once `live` turns false (the worker was stopped). */
  run(
    kind: ProbeKind,
    probe: Probe,
    timeoutSeconds: number,
    target: ProbeTarget,
    live: () => boolean,
  ): Promise<ProbeResult | undefined>;
  /** Stores the worker's result (the manager notices a change). */
  set(kind: ProbeKind, target: WorkerTarget, result: ProbeResult): void;
}

export interface WorkerTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** When the container started (epoch ms): the initial delay counts from it. */
  startedAt: number;
}

/**
 * kubelet's probe worker for one probe of one container: probes once at start, then on a
 * period ticker (a slow probe makes the next one run at once, as a Go ticker does), counts
 * equal results in a row against the thresholds, and stores a result once one is reached.
 * Startup gates the others; after a liveness failure or a startup verdict it holds (the
 * container is about to be restarted or has started); a deleted pod's liveness and startup
 * report success and stop.
 */
export class ProbeWorker {
  private lastResult?: ProbeResult;
  private resultRun = 0;
  private onHold = false;
  private stopped = false;
  private started = false;
  private busy = false;
  private triggered = false;
  private cancelTimer?: () => void;
  private tickBase = 0;
  private lastTick = 0;

  constructor(
    private readonly ctx: WorkerContext,
    readonly kind: ProbeKind,
    private readonly target: WorkerTarget,
    private readonly probe: Probe,
    private readonly settings: ProbeSettings,
  ) {}

  /** Starts probing after `delayMs` (kubelet's jitter just after it starts). */
  start(delayMs: number): void {
    this.cancelTimer = this.ctx.clock.schedule(delayMs, () => this.restartTicker());
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  /** Probes now (then every period from now), or right after the probe in flight. */
  trigger(): void {
    if (this.stopped) return;
    if (this.busy || !this.started) {
      this.triggered = true;
      return;
    }
    this.cancelTimer?.();
    this.restartTicker();
  }

  private restartTicker(): void {
    this.started = true;
    this.tickBase = this.lastTick = this.ctx.clock.now();
    void this.cycle();
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    this.busy = true;
    let keepGoing = true;
    try {
      keepGoing = await this.doProbe();
    } catch (err) {
      this.ctx.logger.error("probe worker failed", {
        kind: this.kind,
        container: this.target.containerId,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      this.busy = false;
    }
    if (!keepGoing) this.stopped = true;
    if (this.stopped) return;
    if (this.triggered) {
      this.triggered = false;
      this.cancelTimer = this.ctx.clock.schedule(0, () => this.restartTicker());
      return;
    }
    const period = this.settings.periodSeconds * 1000;
    const due = this.tickBase + (Math.floor((this.lastTick - this.tickBase) / period) + 1) * period;
    this.cancelTimer = this.ctx.clock.schedule(Math.max(0, due - this.ctx.clock.now()), () => {
      this.lastTick = this.ctx.clock.now();
      void this.cycle();
    });
  }

  /** One tick of kubelet's worker; false stops it. */
  private async doProbe(): Promise<boolean> {
    if (this.onHold) return true;
    const { container, containerId, startedAt } = this.target;
    const pod = this.ctx.pod(this.target.pod.metadata?.uid ?? "") ?? this.target.pod;
    if (pod.metadata?.deletionTimestamp && this.kind !== "readiness") {
      this.ctx.set(this.kind, this.target, "success");
      return false;
    }
    const runningSeconds = Math.floor((this.ctx.clock.now() - startedAt) / 1000);
    if (runningSeconds < this.settings.initialDelaySeconds) return true;
    const hasStarted = !container.startupProbe || this.ctx.startupResult(containerId) === "success";
    if (hasStarted ? this.kind === "startup" : this.kind !== "startup") return true;
    const podIP = await this.ctx.podIP(pod.metadata?.uid ?? "");
    const target = { pod, container, containerId, podIP };
    const { timeoutSeconds } = this.settings;
    const live = () => !this.stopped;
    const result = await this.ctx.run(this.kind, this.probe, timeoutSeconds, target, live);
    if (this.stopped) return false;
    if (result === undefined) return true;
    if (result === this.lastResult) {
      this.resultRun++;
    } else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const threshold =
      result === "failure" ? this.settings.failureThreshold : this.settings.successThreshold;
    if (this.resultRun < threshold) return true;
    this.ctx.set(this.kind, this.target, result);
    if ((this.kind === "liveness" && result === "failure") || this.kind === "startup") {
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}
