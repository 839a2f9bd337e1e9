import type { Logger } from "../../lib/logger.js";
import { answerError, SimClientClosedError, type SimApiClient } from "./sim-api-client.js";
import {
  healthyConditions,
  leaseNamespace,
  leaseObject,
  leaseSpec,
  nodeLabels,
  nodeObject,
  nodeStatus,
  type SimNodeShape,
} from "./sim-node-objects.js";

const strategicMerge = "application/strategic-merge-patch+json";
const high = { priority: "high" } as const;
const nodePath = (name: string) => `/api/v1/nodes/${name}`;
const leasePath = (name: string) =>
  `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases/${name}`;
const maxConflictRetries = 5;

/** Heartbeat counters shared by all simulated nodes of one fixture. */
export interface SimNodeCounters {
  leaseRenewals: number;
  nodeStatusUpdates: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WireObject = any;

/**
 * One simulated kubelet's node side: registers the Node (or updates it when it already exists),
 * holds its Lease and posts Ready heartbeats. Pods are handled by the fixture, per node.
 */
export class SimulatedNode {
  paused = false;
  private uid = "";
  private lease?: WireObject;
  private beats = 0;
  private busy = false;

  constructor(
    readonly shape: SimNodeShape,
    private readonly client: SimApiClient,
    private readonly counters: SimNodeCounters,
    private readonly logger: Logger,
  ) {}

  get name(): string {
    return this.shape.name;
  }

  get internalIP(): string {
    return this.shape.internalIP;
  }

  async register(): Promise<void> {
    const created = await this.client.request(
      "POST",
      "/api/v1/nodes",
      nodeObject(this.shape, new Date()),
      high,
    );
    if (created.status === 201) {
      this.uid = created.body.metadata.uid;
    } else if (created.status === 409) {
      await this.updateExisting();
    } else {
      throw answerError(`register node ${this.name}`, created);
    }
    await this.acquireLease();
  }

  /**
   * A heartbeat: renew the Lease, and every `statusEvery`-th time post the Ready condition.
   * Does nothing while paused, or while the previous heartbeat is still on its way.
   */
  async heartbeat(statusEvery: number): Promise<void> {
    if (this.paused || this.busy) return;
    this.busy = true;
    try {
      await this.renewLease();
      if (++this.beats % statusEvery === 0) await this.postStatus();
    } catch (err) {
      if (err instanceof SimClientClosedError) return; // stopping
      this.logger.warn("simulated node heartbeat failed", {
        node: this.name,
        error: (err as Error).message,
      });
    } finally {
      this.busy = false;
    }
  }

  /** Back from a pause: the kubelet reports at once rather than waiting for its next tick. */
  async resume(): Promise<void> {
    this.paused = false;
    this.beats = 0;
    this.busy = true;
    try {
      await this.renewLease();
      await this.postStatus();
    } finally {
      this.busy = false;
    }
  }

  async remove(): Promise<void> {
    for (const path of [leasePath(this.name), nodePath(this.name)]) {
      const answer = await this.client.request("DELETE", path, undefined, high);
      if (answer.status !== 200 && answer.status !== 202 && answer.status !== 404) {
        throw answerError(`delete ${path}`, answer);
      }
    }
  }

  /** A restarted kubelet: our labels and taints on the stored node, then a full status. */
  private async updateExisting(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const got = await this.client.request("GET", nodePath(this.name), undefined, high);
      if (got.status !== 200) throw answerError(`get node ${this.name}`, got);
      const node = got.body;
      node.metadata.labels = { ...node.metadata.labels, ...nodeLabels(this.shape) };
      node.spec = {
        ...node.spec,
        taints: this.shape.taints.length > 0 ? this.shape.taints : undefined,
      };
      const put = await this.client.request("PUT", nodePath(this.name), node, high);
      if (put.status === 409 && attempt < maxConflictRetries) continue;
      if (put.status !== 200) throw answerError(`update node ${this.name}`, put);
      this.uid = put.body.metadata.uid;
      break;
    }
    const status = { ...nodeStatus(this.shape, new Date()) };
    const patched = await this.client.request(
      "PATCH",
      `${nodePath(this.name)}/status`,
      { status },
      { ...high, contentType: strategicMerge },
    );
    if (patched.status !== 200) throw answerError(`update node ${this.name} status`, patched);
  }

  /** Creates the Lease, or takes over the one a previous run of this node left. */
  private async acquireLease(): Promise<void> {
    const lease = leaseObject(this.name, this.uid, new Date());
    const created = await this.client.request(
      "POST",
      `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases`,
      lease,
      high,
    );
    if (created.status === 201) {
      this.lease = created.body;
      return;
    }
    if (created.status !== 409) throw answerError(`create lease ${this.name}`, created);
    await this.writeLease((stored) => ({
      ...stored,
      metadata: {
        ...stored.metadata,
        ownerReferences: (lease.metadata as WireObject).ownerReferences,
      },
    }));
  }

  private async renewLease(): Promise<void> {
    if (!this.lease) return this.acquireLease();
    await this.writeLease((stored) => stored);
  }

  /**
   * PUT the Lease with a fresh renewTime, starting from the copy we hold; a 409 (someone else
   * wrote it) re-reads it first, a 404 (deleted) creates it again.
   */
  private async writeLease(adjust: (stored: WireObject) => WireObject): Promise<void> {
    let stored = this.lease;
    for (let attempt = 0; ; attempt++) {
      if (!stored) {
        const got = await this.client.request("GET", leasePath(this.name), undefined, high);
        if (got.status === 404) return this.acquireLease();
        if (got.status !== 200) throw answerError(`get lease ${this.name}`, got);
        stored = got.body;
      }
      const next = adjust(stored);
      const now = new Date();
      const spec = { ...next.spec, ...leaseSpec(this.name, now) };
      if (stored.spec?.holderIdentity !== this.name) {
        spec.acquireTime = spec.renewTime;
        spec.leaseTransitions = (stored.spec?.leaseTransitions ?? 0) + 1;
      }
      const put = await this.client.request("PUT", leasePath(this.name), { ...next, spec }, high);
      if (put.status === 200) {
        this.lease = put.body;
        this.counters.leaseRenewals++;
        return;
      }
      if (put.status === 404) {
        this.lease = undefined;
        return this.acquireLease();
      }
      if (put.status !== 409 || attempt >= maxConflictRetries) {
        throw answerError(`renew lease ${this.name}`, put);
      }
      stored = undefined;
    }
  }

  /** Ready heartbeat: read the node (so transition times stay right), then patch its status. */
  private async postStatus(): Promise<void> {
    const got = await this.client.request("GET", nodePath(this.name), undefined, high);
    if (got.status === 404) return this.register();
    if (got.status !== 200) throw answerError(`get node ${this.name}`, got);
    const conditions = healthyConditions(new Date(), got.body.status?.conditions ?? []);
    const patched = await this.client.request(
      "PATCH",
      `${nodePath(this.name)}/status`,
      { status: { conditions } },
      { ...high, contentType: strategicMerge },
    );
    if (patched.status !== 200) throw answerError(`heartbeat node ${this.name}`, patched);
    this.counters.nodeStatusUpdates++;
  }
}
