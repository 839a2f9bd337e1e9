import { promises as fs } from "node:fs";
import { errnoCode, failedPrecondition } from "../../lib/errors.js";

/** The pid in `file` when that process still runs. */
export async function runningPid(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, "utf8").catch((err) => {
    if (errnoCode(err) === "ENOENT") return "";
    throw err;
  });
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return errnoCode(err) === "EPERM" ? pid : undefined;
  }
}

/**
 * Records this process in `file`, refusing when another live process holds it (two `berth up`
 * on one root would fight over every port and file). Returns the release function.
 */
export async function claimPidFile(file: string): Promise<() => Promise<void>> {
  const other = await runningPid(file);
  if (other !== undefined && other !== process.pid) {
    throw failedPrecondition(
      `berth up is already running with this root (pid ${other}); stop it with Ctrl-C or berth down`,
    );
  }
  await fs.writeFile(file, `${process.pid}\n`, { mode: 0o644 });
  return async () => {
    if ((await runningPid(file)) === process.pid) await fs.rm(file, { force: true });
  };
}
