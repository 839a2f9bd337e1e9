import { readFileSync } from "node:fs";

/** The kernel's start time of a process (clock ticks since boot), to tell a live owner from a reused pid. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the command name (field 2) may contain spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number, startTime?: string): boolean {
  const current = processStartTime(pid);
  return current !== undefined && (startTime === undefined || current === startTime);
}
