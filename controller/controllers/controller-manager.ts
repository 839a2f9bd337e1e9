import type { Logger } from "../../lib/logger.js";
import type { Registry } from "../../lib/metrics.js";
import type { ApiDeps } from "../api/context.js";
import { InformerSet } from "../client/informer-set.js";
import { nodeLifecycleSettings, type NodeLifecycleOptions } from "../nodelifecycle/settings.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { SchedulerMetrics } from "../scheduler/scheduler-metrics.js";
import { DeploymentController } from "./deployment-controller.js";
import { GarbageCollector } from "./garbage-collector.js";
import { NamespaceCleanup } from "./namespace-cleanup.js";
import { NodeLifecycleController } from "./node-lifecycle-controller.js";
import { ReplicaSetController } from "./replicaset-controller.js";
import { TaintEvictionController } from "./taint-eviction-controller.js";
import { WorkQueueMetrics } from "./workqueue-metrics.js";

export interface ControllerManagerOptions {
  /** Node lifecycle timing (--node-monitor-grace-period); defaults as kube-controller-manager. */
  nodeLifecycle?: NodeLifecycleOptions;
  /** Where the scheduler_* and workqueue_* metrics go (the controller's /metrics registry). */
  metrics?: Registry;
}

/**
 * The controllers one leader runs: informers shared by all, the scheduler, the ReplicaSet and
 * Deployment controllers, the garbage collector, namespace cleanup, node lifecycle and taint
 * eviction. Built fresh on each election win and thrown away on losing it, so no state outlives
 * leadership (everything lives in the API).
 */
export class ControllerManager {
  private informers?: InformerSet;
  private stoppers: Array<{ stop(): void }> = [];
  private readonly nodeLifecycle;
  // Registered once: each leadership term's controllers report into the same series.
  private readonly schedulerMetrics?: SchedulerMetrics;
  private readonly queueMetrics?: WorkQueueMetrics;

  constructor(
    private readonly deps: ApiDeps,
    private readonly logger: Logger,
    options: ControllerManagerOptions = {},
  ) {
    this.nodeLifecycle = nodeLifecycleSettings(options.nodeLifecycle);
    if (options.metrics) {
      this.schedulerMetrics = new SchedulerMetrics(options.metrics);
      this.queueMetrics = new WorkQueueMetrics(options.metrics);
    }
  }

  async start(): Promise<void> {
    if (this.informers) return;
    const informers = new InformerSet(this.deps.resources, this.deps.registry, this.logger);
    this.informers = informers;
    const cleanup = new NamespaceCleanup(this.deps, this.logger);
    const queues = this.queueMetrics;
    this.stoppers = [
      new Scheduler(this.deps, informers, this.logger, this.schedulerMetrics),
      new GarbageCollector(this.deps, informers, this.logger, queues),
      cleanup,
      new ReplicaSetController(this.deps, informers, this.logger, queues),
      new DeploymentController(this.deps, informers, this.logger, queues),
      new NodeLifecycleController(this.deps, informers, this.logger, this.nodeLifecycle, queues),
      new TaintEvictionController(this.deps, informers, this.logger, queues),
    ];
    await informers.start();
    cleanup.start();
    this.logger.info("controllers started");
  }

  stop(): void {
    if (!this.informers) return;
    for (const controller of this.stoppers) controller.stop();
    this.stoppers = [];
    this.informers.stop();
    this.informers = undefined;
    this.logger.info("controllers stopped");
  }
}
