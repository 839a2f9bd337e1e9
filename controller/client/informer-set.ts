import type { Logger } from "../../lib/logger.js";
import type { ResourceRegistry } from "../api/resource-registry.js";
import type { ResourceStore } from "../api/objects/resource-store.js";
import type { ResourceType } from "../resources/resource-type.js";
import { Informer } from "./informer.js";

/** One shared informer per kind for all in-process controllers, as client-go's factory. */
export class InformerSet {
  private readonly informers = new Map<ResourceType, Informer>();
  private markSynced!: () => void;
  /** Resolves once start() has listed every informer: controllers act only after it. */
  readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(
    private readonly resources: ResourceStore,
    readonly registry: ResourceRegistry,
    private readonly logger: Logger,
  ) {}

  for(rt: ResourceType): Informer {
    let informer = this.informers.get(rt);
    if (!informer) {
      informer = new Informer(this.resources, rt, this.logger);
      this.informers.set(rt, informer);
    }
    return informer;
  }

  /** The informer of a core or named-group kind by plural, e.g. ("", "pods"), ("apps", "deployments"). */
  of(group: string, plural: string): Informer {
    const rt = this.registry.types.find((t) => t.group === group && t.plural === plural);
    if (!rt) throw new Error(`no served resource ${group}/${plural}`);
    return this.for(rt);
  }

  all(): Informer[] {
    return [...this.informers.values()];
  }

  /** Lists every informer asked for so far; resolves when all have synced. */
  async start(): Promise<void> {
    await Promise.all(this.all().map((i) => i.start()));
    this.markSynced();
  }

  stop(): void {
    for (const i of this.all()) i.stop();
  }
}
