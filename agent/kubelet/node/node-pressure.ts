import {
  defaultProcFiles,
  readFilesystem,
  readMeminfo,
  readPids,
  type ProcFiles,
} from "./host-resources.js";

/** kubelet's hard eviction signals, as simple thresholds: below them the node is under pressure. */
export interface PressureThresholds {
  /** memory.available (default 100Mi, kubelet's default). */
  memoryAvailableBytes: number;
  /** nodefs.available as a fraction of the filesystem holding the agent's root (default 0.1). */
  nodefsAvailableFraction: number;
  /** pid.available as a fraction of kernel.pid_max (default 0.05). */
  pidAvailableFraction: number;
}

export const defaultPressureThresholds: PressureThresholds = {
  memoryAvailableBytes: 100 * 1024 * 1024,
  nodefsAvailableFraction: 0.1,
  pidAvailableFraction: 0.05,
};

export interface NodePressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

/** Whether memory, the root's filesystem and PIDs are below their thresholds: a few cheap reads. */
export async function readNodePressure(
  root: string,
  thresholds: PressureThresholds = defaultPressureThresholds,
  files: ProcFiles = defaultProcFiles,
): Promise<NodePressure> {
  const [meminfo, fs, pids] = await Promise.all([
    readMeminfo(files.meminfo),
    readFilesystem(root),
    readPids(files),
  ]);
  const memoryAvailable = meminfo.get("MemAvailable") ?? meminfo.get("MemFree") ?? 0;
  return {
    memory: memoryAvailable < thresholds.memoryAvailableBytes,
    disk: fs.availableBytes < fs.capacityBytes * thresholds.nodefsAvailableFraction,
    pid: pids.max - pids.running < pids.max * thresholds.pidAvailableFraction,
  };
}
