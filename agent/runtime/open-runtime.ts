import { promises as fs } from "node:fs";
import type { Logger } from "../../lib/logger.js";
import type { PodNetwork } from "../network/pod-network.js";
import type { ImageStore } from "../images/image-store.js";
import { createCgroupManager } from "./cgroups/create-cgroup-manager.js";
import { KeyedMutex } from "../../lib/keyed-mutex.js";
import { Runc } from "./oci-runtime/runc.js";
import { RecordStore } from "./record-store.js";
import type { ContainerRecord, SandboxRecord } from "./records.js";
import { recoverRuntime } from "./recover.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { RuntimePaths } from "./runtime-paths.js";
import { CpuRateCache } from "./stats/cpu-rate-cache.js";

export interface RuntimeOptions {
  root: string;
  runDir: string;
  images: ImageStore;
  logger: Logger;
  runtimePath: string;
  conmonPath: string;
  cgroupParent: string;
  network: PodNetwork;
}

/** Opens the runtime's state and reconciles it with the host (see recoverRuntime). */
export async function openRuntime(options: RuntimeOptions): Promise<RuntimeDeps> {
  const paths = new RuntimePaths(options.root, options.runDir);
  for (const dir of paths.all()) await fs.mkdir(dir, { recursive: true, mode: 0o711 });
  const deps: RuntimeDeps = {
    paths,
    sandboxes: new RecordStore<SandboxRecord>(paths.sandboxRecords),
    containers: new RecordStore<ContainerRecord>(paths.containerRecords),
    images: options.images,
    runc: new Runc(options.runtimePath, paths.runcRoot),
    conmon: options.conmonPath,
    cgroups: await createCgroupManager(),
    locks: new KeyedMutex(),
    logger: options.logger,
    cgroupParent: options.cgroupParent,
    cpuRates: new CpuRateCache(),
    network: options.network,
  };
  const recovered = await recoverRuntime(deps);
  options.logger.info("runtime state recovered", { ...recovered });
  return deps;
}
