import type { Logger } from "../../lib/logger.js";
import type { ImageStore } from "../images/image-store.js";
import type { KeyedMutex } from "../../lib/keyed-mutex.js";
import type { Runc } from "./oci-runtime/runc.js";
import type { RecordStore } from "./record-store.js";
import type { ContainerRecord, SandboxRecord } from "./records.js";
import type { RuntimePaths } from "./runtime-paths.js";
import type { CgroupManager } from "./cgroups/cgroup-manager.js";
import type { PodNetwork } from "../network/pod-network.js";
import type { CpuRateCache } from "./stats/cpu-rate-cache.js";

/** What every runtime operation works with; built once by the agent, passed explicitly. */
export interface RuntimeDeps {
  paths: RuntimePaths;
  sandboxes: RecordStore<SandboxRecord>;
  containers: RecordStore<ContainerRecord>;
  images: ImageStore;
  runc: Runc;
  conmon: string;
  cgroups: CgroupManager;
  network: PodNetwork;
  /** Serializes operations per sandbox and per container id. */
  locks: KeyedMutex;
  logger: Logger;
  /** Parent cgroup of pods that name none ("/berth"). */
  cgroupParent: string;
  /** The previous CPU reading of each cgroup, for usage_nano_cores. */
  cpuRates: CpuRateCache;
}
