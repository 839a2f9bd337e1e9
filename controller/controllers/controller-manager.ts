import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { InformerSet } from "../client/informer-set.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { DeploymentController } from "./deployment-controller.js";
import { GarbageCollector } from "./garbage-collector.js";
import { NamespaceCleanup } from "./namespace-cleanup.js";
import { ReplicaSetController } from "./replicaset-controller.js";

/**
 * The controllers one leader runs: informers shared by all, the scheduler, the ReplicaSet and
 * Deployment controllers, the garbage collector and namespace cleanup. Built fresh on each election win and thrown away on losing it, so no
 * state outlives leadership (everything lives in the API).
 */
export class ControllerManager {
  private informers?: InformerSet;
  private scheduler?: Scheduler;
  private gc?: GarbageCollector;
  private cleanup?: NamespaceCleanup;
  private replicaSets?: ReplicaSetController;
  private deployments?: DeploymentController;

  constructor(
    private readonly deps: ApiDeps,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.informers) return;
    const informers = new InformerSet(this.deps.resources, this.deps.registry, this.logger);
    this.informers = informers;
    this.scheduler = new Scheduler(this.deps, informers, this.logger);
    this.gc = new GarbageCollector(this.deps, informers, this.logger);
    this.cleanup = new NamespaceCleanup(this.deps, this.logger);
    this.replicaSets = new ReplicaSetController(this.deps, informers, this.logger);
    this.deployments = new DeploymentController(this.deps, informers, this.logger);
    await informers.start();
    this.cleanup.start();
    this.logger.info("controllers started");
  }

  stop(): void {
    if (!this.informers) return;
    this.scheduler?.stop();
    this.gc?.stop();
    this.cleanup?.stop();
    this.replicaSets?.stop();
    this.deployments?.stop();
    this.informers.stop();
    this.informers = undefined;
    this.logger.info("controllers stopped");
  }
}
