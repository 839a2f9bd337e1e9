import { setImmediate as nextTurn } from "node:timers/promises";
import type { Logger } from "../../../lib/logger.js";
import type { ImageRecord } from "../../images/image-records.js";
import type { CgroupManager } from "../../runtime/cgroups/cgroup-manager.js";
import { pollingCgroupManager } from "../../runtime/cgroups/create-cgroup-manager.js";
import type { ContainerRecord, SandboxRecord } from "../../runtime/records.js";
import type { RuntimePaths } from "../../runtime/runtime-paths.js";
import { writableLayerUsage } from "../../runtime/stats/writable-layer-usage.js";
import type { CgroupSample } from "./cgroup-sample.js";
import { deviceOfDir } from "./fs-device.js";
import { LayerUsageCache } from "./layer-usage-cache.js";
import { readMachineInfo, type MachineInfo } from "./machine-info.js";
import { readNetDevOf } from "./net-dev.js";
import { readTarget, type SampleSources } from "./read-target.js";
import { renderCadvisor } from "./render.js";
import { scrapeTargets } from "./targets.js";

/** The parts of the runtime a scrape reads (RuntimeDeps has them all). */
export interface CadvisorRuntime {
  sandboxes: { list(): SandboxRecord[] };
  containers: { list(): ContainerRecord[] };
  images: { list(): Promise<ImageRecord[]> };
  /** Its layout: the scrape reads through its own polling manager (synchronous reads). */
  cgroups: Pick<CgroupManager, "layout">;
  paths: Pick<RuntimePaths, "root" | "containerUpper">;
}

export interface CadvisorCollectorOptions {
  runtime: CadvisorRuntime;
  logger?: Logger;
  /** How long a container's writable-layer usage is reused before it is walked again (10 s). */
  layerUsageTtlMs?: number;
  /**
   * Cgroups in progress at once (8). Control files are read synchronously, so this overlaps
   * only the writable-layer walks and /proc reads; each cgroup starts on a new event-loop turn,
   * so a scrape never holds the agent's loop for more than one cgroup's reads.
   */
  concurrency?: number;
  /** Test seams: any source, and the machine's facts. */
  sources?: Partial<SampleSources>;
  machine?: () => Promise<MachineInfo>;
}

export interface CadvisorCollector {
  /** One scrape of /metrics/cadvisor: the exposition text. */
  scrape(): Promise<string>;
}

/**
 * The kubelet's /metrics/cadvisor from Berth's own records, cgroups and /proc: no process is
 * started per scrape. Keeps only the writable-layer cache and the machine's facts between scrapes.
 */
export function createCadvisorCollector(options: CadvisorCollectorOptions): CadvisorCollector {
  const { runtime, logger } = options;
  const layers = new LayerUsageCache(
    async (id) => (await writableLayerUsage(runtime.paths.containerUpper(id)))?.usedBytes,
    options.layerUsageTtlMs,
  );
  let device: Promise<string> | undefined;
  const sources: SampleSources = {
    cgroups: pollingCgroupManager(runtime.cgroups.layout),
    netDev: (pid) => readNetDevOf(pid),
    layerUsage: (id) => layers.get(id),
    layerDevice: () => (device ??= deviceOfDir(runtime.paths.root)),
    nowMs: Date.now,
    ...options.sources,
  };
  let machine: Promise<MachineInfo> | undefined;
  const machineInfo = () => {
    machine ??= (options.machine ?? readMachineInfo)().catch((err: unknown) => {
      machine = undefined; // read again next scrape
      throw err;
    });
    return machine;
  };

  return {
    async scrape() {
      const [info, images] = await Promise.all([
        machineInfo().catch((err: Error) => {
          logger?.warn("cannot read the machine's facts", { error: err.message });
          return undefined;
        }),
        runtime.images.list(),
      ]);
      const containers = runtime.containers.list();
      const targets = scrapeTargets({
        sandboxes: runtime.sandboxes.list(),
        containers,
        imageNames: new Map(images.map((i) => [i.id, i.repoTags[0] ?? i.id])),
        bootTimeSeconds: info?.bootTimeSeconds ?? 0,
      });
      layers.retain(new Set(containers.filter((c) => c.state === "running").map((c) => c.id)));
      let failed = false;
      const samples = await mapLimited(targets, options.concurrency ?? 8, (t) =>
        readTarget(t, sources).catch((err: Error) => {
          failed = true;
          logger?.warn("cannot read a cgroup for /metrics/cadvisor", {
            cgroup: t.cgroup,
            error: err.message,
          });
          return undefined;
        }),
      );
      const read = samples.filter((s): s is CgroupSample => s !== undefined);
      return renderCadvisor(read, info, failed);
    },
  };
}

/** `fn` over `items`, at most `limit` at once, each on a new loop turn; results in order. */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await nextTurn();
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
