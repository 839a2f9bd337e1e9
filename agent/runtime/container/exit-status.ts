import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../../lib/errors.js";
import type { Nanos } from "../records.js";

export interface ExitStatus {
  exitCode: number;
  finishedAt: Nanos;
}

/** The exit conmon recorded for a container (written when it ended, even with the agent down). */
export async function readExitFile(exitDir: string, id: string): Promise<ExitStatus | undefined> {
  const file = path.join(exitDir, id);
  try {
    const [text, st] = await Promise.all([fs.readFile(file, "utf8"), fs.stat(file)]);
    const code = Number.parseInt(text.trim(), 10);
    if (!Number.isFinite(code)) return undefined;
    return {
      exitCode: code,
      finishedAt: (BigInt(Math.round(st.mtimeMs * 1000)) * 1000n).toString(),
    };
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** CRI's reason for an exit: OOMKilled when the memory cgroup killed it, else Completed or Error. */
export function exitReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return "OOMKilled";
  return exitCode === 0 ? "Completed" : "Error";
}
