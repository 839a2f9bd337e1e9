import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { deleteWithOptions } from "../api/objects/delete-object.js";
import { listObjects } from "../api/objects/list-objects.js";
import { ApiError } from "../api/status.js";
import type { KubeObject } from "../resources/kube-object.js";

const kubernetesFinalizer = "kubernetes";

/**
 * Finishes namespace deletion as Kubernetes' namespace controller does: everything in a
 * terminating namespace is deleted (pods on nodes get their grace period), and once nothing is
 * left the `kubernetes` finalizer is removed, which lets the namespace go.
 */
export class NamespaceCleanup {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly deps: ApiDeps,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass over terminating namespaces; overlapping ticks are skipped. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const nsType = this.deps.registry.find("", "v1", "namespaces");
      if (!nsType) return;
      const page = await listObjects(this.deps.resources, nsType, "", {
        matches: (ns) => ns.metadata?.deletionTimestamp !== undefined,
        limit: 0,
      });
      for (const ns of page.items) await this.finish(ns);
    } catch (err) {
      this.logger.warn("namespace cleanup failed", { error: (err as Error).message });
    } finally {
      this.running = false;
    }
  }

  private async finish(ns: KubeObject): Promise<void> {
    const name = ns.metadata?.name ?? "";
    let remaining = 0;
    for (const rt of this.deps.registry.types.filter((t) => t.namespaced)) {
      const page = await listObjects(this.deps.resources, rt, name, {
        matches: () => true,
        limit: 0,
      });
      for (const obj of page.items) {
        remaining++;
        if (obj.metadata?.deletionTimestamp) continue;
        await deleteWithOptions(this.deps, rt, name, obj.metadata?.name ?? "", {
          dryRun: false,
        }).catch((err) => {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        });
      }
    }
    if (remaining > 0) return;
    const nsType = this.deps.registry.find("", "v1", "namespaces")!;
    await this.deps.resources
      .update(nsType, "", name, (obj) => {
        const spec = (obj.spec ??= {}) as { finalizers?: string[] };
        if (!spec.finalizers?.includes(kubernetesFinalizer)) return undefined;
        spec.finalizers = spec.finalizers.filter((f) => f !== kubernetesFinalizer);
        return obj;
      })
      .then((r) => {
        if (r.deleted) this.logger.info("namespace deleted", { namespace: name });
      })
      .catch((err) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      });
  }
}
