import { readFile, statfs } from "node:fs/promises";
import { failedPrecondition } from "../../../lib/errors.js";

/** Where the kernel's counters are; tests point them at fixtures. */
export interface ProcFiles {
  meminfo: string;
  pidMax: string;
  loadavg: string;
}

export const defaultProcFiles: ProcFiles = {
  meminfo: "/proc/meminfo",
  pidMax: "/proc/sys/kernel/pid_max",
  loadavg: "/proc/loadavg",
};

/** /proc/meminfo as bytes per field ("MemTotal", "MemAvailable"…). */
export async function readMeminfo(file = defaultProcFiles.meminfo): Promise<Map<string, number>> {
  const fields = new Map<string, number>();
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    const match = /^([\w()]+):\s+(\d+)(\s+kB)?$/.exec(line.trim());
    if (match) fields.set(match[1], Number(match[2]) * (match[3] ? 1024 : 1));
  }
  if (!fields.has("MemTotal")) throw failedPrecondition(`${file} has no MemTotal line`);
  return fields;
}

/** Size and free space of the filesystem holding `dir`, in bytes. */
export async function readFilesystem(
  dir: string,
): Promise<{ capacityBytes: number; availableBytes: number }> {
  let stats;
  try {
    stats = await statfs(dir);
  } catch (err) {
    throw failedPrecondition(`cannot read the filesystem of ${dir}: ${(err as Error).message}`, {
      field: "root",
      cause: err,
    });
  }
  return { capacityBytes: stats.bsize * stats.blocks, availableBytes: stats.bsize * stats.bavail };
}

/** The PID limit and the tasks (threads) that exist now: kubelet's pid.available inputs. */
export async function readPids(
  files: Pick<ProcFiles, "pidMax" | "loadavg"> = defaultProcFiles,
): Promise<{ max: number; running: number }> {
  const [pidMax, loadavg] = await Promise.all([
    readFile(files.pidMax, "utf8"),
    readFile(files.loadavg, "utf8"),
  ]);
  // loadavg's fourth field is "runnable/total" scheduling entities.
  const total = /\s\d+\/(\d+)\s/.exec(loadavg)?.[1];
  const max = Number(pidMax.trim());
  if (!Number.isInteger(max) || max <= 0 || total === undefined) {
    throw failedPrecondition(
      `cannot read the PID counts from ${files.pidMax} and ${files.loadavg}`,
    );
  }
  return { max, running: Number(total) };
}
