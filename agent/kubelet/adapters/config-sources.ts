import type { KubeClient } from "../../kube/kube-client.js";
import { isNotFound } from "../../kube/kube-errors.js";
import type { ConfigMap, Secret } from "../../kube/types.js";
import type { ConfigSources } from "../spec/container-env.js";
import type { VolumeObjectLookup } from "../volumes/volume-context.js";

export interface CachedConfigSourcesOptions {
  client: Pick<KubeClient, "get">;
  /** How long an answer (found or not) is reused (default 5 s, kubelet's TTL strategy). */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

// Past this many entries the expired ones are swept on the next read.
const sweepAbove = 512;

/**
 * The ConfigMaps and Secrets a node's pods use, read from the API with a short cache: a pod's
 * containers and volumes ask for the same objects in one sync, and resyncs pick up changes once
 * the entry expired. Reads of one object in flight are shared; a failed read is not cached.
 * A missing object answers undefined (the spec and volume layers decide whether that is fatal).
 */
export class CachedConfigSources implements ConfigSources, VolumeObjectLookup {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CachedConfigSourcesOptions) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.read<ConfigMap>("configmaps", namespace, name);
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.read<Secret>("secrets", namespace, name);
  }

  /** Entries held now (fresh or not yet swept). */
  get size(): number {
    return this.entries.size;
  }

  private read<T>(resource: string, namespace: string, name: string): Promise<T | undefined> {
    const key = `${resource}/${namespace}/${name}`;
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value as Promise<T | undefined>;
    if (this.entries.size > sweepAbove) this.sweep(now);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`;
    const value = this.options.client.get<T>(path).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw err;
    });
    this.entries.set(key, { at: now, value });
    return value;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.at >= this.ttlMs) this.entries.delete(key);
    }
  }
}
