import type {
  Attachment,
  CniResult,
  NetConfList,
  PortMapping,
  VersionResult,
} from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";
import { asError, combineErrors } from "./aggregate-error.js";
import { addChain, checkChain, delChain, type ChainCall } from "./chain.js";
import { KeyedMutex } from "../../lib/keyed-mutex.js";
import { RwLock } from "./locks.js";
import { negotiateVersion } from "./negotiate-version.js";
import { NetworkSource } from "./network-source.js";
import { parseConfList } from "./parse-conf-list.js";
import { PluginCaller } from "./plugin-caller.js";
import { pluginStdin } from "./plugin-stdin.js";
import { ResultCache, type CacheEntry, type CachedFile } from "./result-cache.js";
import { atLeast } from "./spec-version.js";
import { usableNetns } from "./usable-netns.js";
import { validateAttachment } from "./validate-attachment.js";
import { VersionProbe } from "./version-probe.js";

export { podIps } from "./pod-ips.js";
export { CniAggregateError } from "./aggregate-error.js";

export interface RunnerOptions {
  /** Network config directory, e.g. /etc/cni/net.d. */
  confDir: string;
  /** Plugin search path, Berth's own dir first. */
  binDirs: string[];
  /** Result cache, e.g. <agent root>/cni/results. */
  cacheDir: string;
  /** Per plugin exec; default 60 s. */
  timeoutMs?: number;
}

export interface AttachmentParams {
  containerId: string;
  ifname: string;
  netns: string;
  /** CNI_ARGS (K8S_POD_NAMESPACE, …). */
  args?: Record<string, string>;
  /** runtimeConfig values, passed to the plugins that declare the capability. */
  capabilities?: { portMappings?: PortMapping[]; [k: string]: unknown };
}

export interface LoadedNetwork {
  file: string;
  config: NetConfList;
  /** The spec version the list runs with (negotiated for `cniVersions`). */
  version: string;
}

/** Runs a network config list's plugins for attachments, keeping each ADD result on disk. */
export class CniRunner {
  private readonly source: NetworkSource;
  private readonly caller: PluginCaller;
  private readonly probe: VersionProbe;
  private readonly cache: ResultCache;
  private readonly containers = new KeyedMutex();
  /** ADD/DEL/CHECK share it; GC holds it alone. */
  private readonly gcLock = new RwLock();

  constructor(options: RunnerOptions) {
    const exec = { binDirs: options.binDirs, timeoutMs: options.timeoutMs ?? 60_000 };
    this.source = new NetworkSource(options.confDir);
    this.caller = new PluginCaller(exec);
    this.probe = new VersionProbe(exec);
    this.cache = new ResultCache(options.cacheDir);
  }

  async network(): Promise<LoadedNetwork> {
    const { file, config } = await this.source.load();
    const version = await negotiateVersion(config, this.probe);
    return { file, config: structuredClone(config), version };
  }

  async add(a: AttachmentParams): Promise<CniResult> {
    validateAttachment(a, true);
    return this.serialized(a.containerId, () => this.addNow(a));
  }

  async del(a: AttachmentParams): Promise<void> {
    validateAttachment(a, false);
    return this.serialized(a.containerId, () => this.delNow(a));
  }

  async check(a: AttachmentParams): Promise<void> {
    validateAttachment(a, true);
    return this.serialized(a.containerId, () => this.checkNow(a));
  }

  async status(): Promise<void> {
    const { config, version } = await this.network();
    for (const plugin of config.plugins) this.caller.locate(plugin.type);
    if (!atLeast(version, "1.1.0")) return;
    for (const plugin of config.plugins) {
      await this.caller.run(plugin.type, pluginStdin(config, plugin, version), {
        command: "STATUS",
      });
    }
  }

  /**
   * DELs every cached attachment not in `valid`, then (spec ≥ 1.1, unless disableGC) runs every
   * plugin's GC. The caller must not start ADDs for attachments missing from `valid` meanwhile.
   */
  gc(valid: Attachment[]): Promise<void> {
    return this.gcLock.exclusive(async () => {
      const errors: Error[] = [];
      const keep = new Set(valid.map((v) => `${v.containerID}\0${v.ifname}`));
      const { entries, corrupt } = await this.cache.scan();
      for (const cached of entries) {
        if (keep.has(`${cached.entry.containerId}\0${cached.entry.ifName}`)) continue;
        await this.delCached(cached).catch((err) => errors.push(asError(err)));
      }
      for (const file of corrupt) await this.cache.remove(file);
      try {
        const { config, version } = await this.network();
        if (atLeast(version, "1.1.0") && !config.disableGC) {
          for (const plugin of config.plugins) {
            const stdin = pluginStdin(config, plugin, version, { validAttachments: valid });
            await this.caller
              .run(plugin.type, stdin, { command: "GC" })
              .catch((err) => errors.push(asError(err)));
          }
        }
      } catch (err) {
        errors.push(asError(err));
      }
      const error = combineErrors("GC", errors);
      if (error) throw error;
    });
  }

  version(pluginType: string): Promise<VersionResult> {
    return this.probe.version(pluginType);
  }

  async cachedResult(containerId: string, ifname: string): Promise<CniResult | undefined> {
    return (await this.findCached(containerId, ifname))?.entry.result;
  }

  /** Whether the cache holds a record of the attachment (written before an ADD runs any plugin). */
  async isAttached(containerId: string, ifname: string): Promise<boolean> {
    return (await this.findCached(containerId, ifname)) !== undefined;
  }

  async cachedAttachments(): Promise<Attachment[]> {
    const seen = new Map<string, Attachment>();
    for (const { entry } of await this.cache.entries()) {
      seen.set(`${entry.containerId}\0${entry.ifName}`, {
        containerID: entry.containerId,
        ifname: entry.ifName,
      });
    }
    return [...seen.values()];
  }

  private serialized<T>(containerId: string, fn: () => Promise<T>): Promise<T> {
    return this.gcLock.shared(() => this.containers.run(containerId, fn));
  }

  private async addNow(a: AttachmentParams): Promise<CniResult> {
    const { config, version } = await this.network();
    // A missing plugin fails the ADD before anything is recorded or run.
    for (const plugin of config.plugins) this.caller.locate(plugin.type);
    const existing = await this.cache.get(config.name, a.containerId, a.ifname);
    if (existing) {
      throw new CniError(
        cniCode.invalidEnv,
        `${a.containerId}/${a.ifname} is already attached: DEL it first`,
        existing.file,
      );
    }
    const entry: CacheEntry = {
      kind: "cniCacheV1",
      containerId: a.containerId,
      config: Buffer.from(JSON.stringify(config)).toString("base64"),
      ifName: a.ifname,
      networkName: config.name,
      netns: a.netns,
      ...(a.args && Object.keys(a.args).length > 0 ? { cniArgs: Object.entries(a.args) } : {}),
      ...(a.capabilities ? { capabilityArgs: a.capabilities } : {}),
    };
    // Written before the plugins run, so a crash mid-ADD leaves a record that recovery DELs.
    const file = await this.cache.write(entry);
    const call: ChainCall = { list: config, version, ...a };
    let result: CniResult | undefined;
    try {
      result = await addChain(this.caller, call);
      await this.cache.write({ ...entry, result });
      return result;
    } catch (err) {
      // On a failed cleanup the record stays, so a later del() or gc() finishes the job.
      await delChain(this.caller, { ...call, netns: await usableNetns(a.netns) }, result)
        .then(() => this.cache.remove(file))
        .catch(() => undefined);
      throw err;
    }
  }

  private async delNow(a: AttachmentParams): Promise<void> {
    const cached = await this.findCached(a.containerId, a.ifname);
    if (cached) return this.delCached(cached, a);
    const { config, version } = await this.network();
    const call = { list: config, version, ...a, netns: await usableNetns(a.netns) };
    await delChain(this.caller, call, undefined);
  }

  /** DEL with the config, version and parameters the attachment was added with. */
  private async delCached(cached: CachedFile, a?: AttachmentParams): Promise<void> {
    const { entry } = cached;
    const { list, version } = await this.cachedList(cached);
    const call: ChainCall = {
      list,
      version,
      containerId: entry.containerId,
      ifname: entry.ifName,
      netns: await usableNetns(a?.netns || entry.netns),
      args: a?.args ?? (entry.cniArgs ? Object.fromEntries(entry.cniArgs) : undefined),
      capabilities: a?.capabilities ?? entry.capabilityArgs,
    };
    await delChain(this.caller, call, entry.result);
    await this.cache.remove(cached.file);
  }

  private async checkNow(a: AttachmentParams): Promise<void> {
    const cached = await this.findCached(a.containerId, a.ifname);
    if (!cached?.entry.result) {
      throw new CniError(
        cniCode.unknownContainer,
        `no cached ADD result for ${a.containerId}/${a.ifname}`,
        "CHECK needs a completed ADD",
      );
    }
    const { list, version } = await this.cachedList(cached);
    if (list.disableCheck) return;
    const call = {
      list,
      version,
      ...a,
      capabilities: a.capabilities ?? cached.entry.capabilityArgs,
    };
    await checkChain(this.caller, call, cached.entry.result);
  }

  private async findCached(containerId: string, ifname: string): Promise<CachedFile | undefined> {
    const current = await this.source.load().catch(() => undefined);
    return this.cache.find(containerId, ifname, current?.config.name);
  }

  /** The list an attachment was added with, run at the version its result was made with. */
  private async cachedList(cached: CachedFile): Promise<{ list: NetConfList; version: string }> {
    const text = Buffer.from(cached.entry.config, "base64").toString("utf8");
    const list = parseConfList(cached.file, text);
    const offered = list.cniVersions?.length ? list.cniVersions : [list.cniVersion];
    const made = cached.entry.result?.cniVersion;
    if (made && offered.includes(made)) return { list, version: made };
    return { list, version: await negotiateVersion(list, this.probe) };
  }
}
