import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../../../lib/logger.js";
import type { KubeObject } from "../../resources/kube-object.js";
import { nodeSample, type NodeSample } from "./node-sample.js";
import type { SummarySource } from "./summary-client.js";
import { readSummary } from "./summary-reading.js";

/** The two latest scrapes of a node, the earlier first: a rate needs both. */
export interface SamplePair {
  prev: NodeSample;
  last: NodeSample;
}

export interface Clock {
  wallMs(): number;
  monoMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
  sleep: (ms) => sleep(ms),
};

export interface SampleCacheSettings {
  /** A node scraped (or found unreachable) less than this long ago is not asked again. */
  freshMs: number;
  /** With no earlier scrape recent enough, a second one this much later makes the window. */
  coldWindowMs: number;
  /** An earlier scrape older than this is too old to average over: start afresh. */
  maxWindowMs: number;
}

const defaults: SampleCacheSettings = { freshMs: 5_000, coldWindowMs: 1_000, maxWindowMs: 60_000 };

interface NodeEntry {
  prev?: NodeSample;
  last?: NodeSample;
  failedAtMs?: number;
  refreshing?: Promise<SamplePair | undefined>;
}

/**
 * metrics-server's storage (the last two scrapes of each node), filled on demand instead of on a
 * 15 s timer: a request scrapes a node only when its last scrape is no longer fresh, concurrent
 * requests share one scrape, and a node with no recent earlier scrape is scraped twice,
 * `coldWindowMs` apart, so the first `kubectl top` already has a rate. A node whose agent cannot be
 * read has no samples (it is left out, as metrics-server leaves it out) until a later try works.
 */
export class NodeSampleCache {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly settings: SampleCacheSettings;

  constructor(
    private readonly source: SummarySource,
    private readonly logger: Logger,
    settings: Partial<SampleCacheSettings> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.settings = { ...defaults, ...settings };
  }

  /** The node's last two scrapes, scraping when they are stale; undefined when it cannot be read. */
  pair(node: KubeObject): Promise<SamplePair | undefined> {
    const name = node.metadata?.name ?? "";
    const now = this.clock.monoMs();
    this.forgetIdle(now);
    let entry = this.nodes.get(name);
    if (!entry) this.nodes.set(name, (entry = {}));
    if (entry.refreshing) return entry.refreshing;
    const { freshMs } = this.settings;
    if (entry.failedAtMs !== undefined && now - entry.failedAtMs < freshMs) {
      return Promise.resolve(undefined);
    }
    if (entry.last && now - entry.last.monoMs < freshMs) {
      return Promise.resolve(entry.prev && { prev: entry.prev, last: entry.last });
    }
    const refreshing = this.refresh(name, node, entry);
    entry.refreshing = refreshing;
    void refreshing.finally(() => {
      if (entry.refreshing === refreshing) entry.refreshing = undefined;
    });
    return refreshing;
  }

  /** Nodes with samples or a remembered failure (for tests and leaks). */
  get size(): number {
    return this.nodes.size;
  }

  private async refresh(
    name: string,
    node: KubeObject,
    entry: NodeEntry,
  ): Promise<SamplePair | undefined> {
    try {
      let prev = entry.last;
      let last = await this.scrape(name, node);
      if (!prev || last.monoMs - prev.monoMs > this.settings.maxWindowMs) {
        prev = last;
        await this.clock.sleep(this.settings.coldWindowMs);
        last = await this.scrape(name, node);
      }
      Object.assign(entry, { prev, last, failedAtMs: undefined });
      return { prev, last };
    } catch (err) {
      Object.assign(entry, { prev: undefined, last: undefined, failedAtMs: this.clock.monoMs() });
      this.logger.warn("cannot read the node's summary: no metrics for it", {
        node: name,
        error: (err as Error).message,
      });
      return undefined;
    }
  }

  private async scrape(name: string, node: KubeObject): Promise<NodeSample> {
    const body = await this.source(node);
    const atMs = this.clock.wallMs();
    const monoMs = this.clock.monoMs();
    const summary = readSummary(body);
    if (summary.nodeName && summary.nodeName !== name) {
      throw new Error(`the agent reports node ${JSON.stringify(summary.nodeName)}`);
    }
    return nodeSample(summary, atMs, monoMs);
  }

  /** Drops nodes nobody asked about for a whole window (deleted, or no longer Ready). */
  private forgetIdle(now: number): void {
    for (const [name, entry] of this.nodes) {
      const seen = entry.last?.monoMs ?? entry.failedAtMs ?? now;
      if (!entry.refreshing && now - seen > this.settings.maxWindowMs) this.nodes.delete(name);
    }
  }
}
