import os from "node:os";
import { defaultProcFiles, readFilesystem, readMeminfo } from "./host-resources.js";
import { positiveInteger } from "./positive-integer.js";
import { defaultPressureThresholds, type PressureThresholds } from "./node-pressure.js";

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

export interface CapacityOptions {
  /** The agent's root: ephemeral-storage is the size of its filesystem. */
  root: string;
  /** Pods this node takes (default 110, kubelet's). */
  maxPods?: number;
  /** What allocatable keeps back, as kubelet subtracts its hard eviction thresholds. */
  thresholds?: PressureThresholds;
  meminfoFile?: string;
}

/**
 * cpu (the CPUs this process may use), memory (MemTotal), pods and ephemeral-storage (the root's
 * filesystem); allocatable is capacity less the eviction thresholds, as kubelet reports it
 * without system or kube reservations.
 */
export async function readNodeResources(options: CapacityOptions): Promise<NodeResources> {
  const maxPods = positiveInteger(options.maxPods ?? 110, "maxPods");
  const thresholds = options.thresholds ?? defaultPressureThresholds;
  const [meminfo, fs] = await Promise.all([
    readMeminfo(options.meminfoFile ?? defaultProcFiles.meminfo),
    readFilesystem(options.root),
  ]);
  const memoryKi = Math.floor(meminfo.get("MemTotal")! / 1024);
  const reservedMemoryKi = Math.ceil(thresholds.memoryAvailableBytes / 1024);
  const storageKi = Math.floor(fs.capacityBytes / 1024);
  const cpu = String(os.availableParallelism());
  return {
    capacity: {
      cpu,
      memory: `${memoryKi}Ki`,
      pods: String(maxPods),
      "ephemeral-storage": `${storageKi}Ki`,
    },
    allocatable: {
      cpu,
      memory: `${Math.max(0, memoryKi - reservedMemoryKi)}Ki`,
      pods: String(maxPods),
      "ephemeral-storage": String(
        Math.floor(fs.capacityBytes * (1 - thresholds.nodefsAvailableFraction)),
      ),
    },
  };
}
