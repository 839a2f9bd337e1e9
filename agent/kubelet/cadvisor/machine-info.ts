import { promises as fs } from "node:fs";

/** What cAdvisor's machine collector reports that Berth exports, read once per agent. */
export interface MachineInfo {
  /** Logical CPUs (machine_cpu_cores). */
  cpuCores: number;
  /** MemTotal (machine_memory_bytes). */
  memoryBytes: number;
  machineId: string;
  systemUuid: string;
  bootId: string;
  /** When the machine booted, seconds since the epoch (the root cgroup's start time). */
  bootTimeSeconds: number;
}

/** Reads a file's text; "" when it cannot be read (a host without DMI has no product_uuid). */
export type TextReader = (file: string) => Promise<string>;

const readText: TextReader = (file) => fs.readFile(file, "utf8").catch(() => "");

/** From /proc/stat (cpuN lines, btime), /proc/meminfo, machine-id, DMI product_uuid, boot_id. */
export async function readMachineInfo(read: TextReader = readText): Promise<MachineInfo> {
  const [stat, meminfo, machineId, dbusId, systemUuid, bootId] = await Promise.all([
    read("/proc/stat"),
    read("/proc/meminfo"),
    read("/etc/machine-id"),
    read("/var/lib/dbus/machine-id"),
    read("/sys/class/dmi/id/product_uuid"),
    read("/proc/sys/kernel/random/boot_id"),
  ]);
  const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1]);
  if (!Number.isFinite(memTotalKb)) throw new Error("cannot read MemTotal from /proc/meminfo");
  return {
    cpuCores: stat.split("\n").filter((l) => /^cpu\d+\s/.test(l)).length,
    memoryBytes: memTotalKb * 1024,
    machineId: (machineId || dbusId).trim(),
    systemUuid: systemUuid.trim(),
    bootId: bootId.trim(),
    bootTimeSeconds: Number(/^btime\s+(\d+)/m.exec(stat)?.[1] ?? 0),
  };
}
