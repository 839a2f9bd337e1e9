import type { CriClient } from "../../agent/cri/client.js";
import { invalidArgument } from "../../lib/errors.js";
import { runSession, type SessionFlags } from "./remote-session.js";

export interface ExecFlags extends SessionFlags {
  /** ExecSync instead of a streaming Exec. */
  sync: boolean;
  /** Seconds before ExecSync kills the command; 0 for no limit. */
  timeout: number;
}

/** `berth cri exec`: runs `cmd` in a running container; resolves with its exit code. */
export async function execInContainer(
  cri: CriClient,
  id: string,
  cmd: string[],
  flags: ExecFlags,
): Promise<number> {
  // A timeout only exists for ExecSync, so asking for one means --sync (as before streaming).
  if (flags.sync || flags.timeout > 0) {
    if (flags.interactive || flags.tty) {
      throw invalidArgument("--sync runs without stdin or a terminal: drop -i/-t or --sync", {
        field: "--sync",
      });
    }
    return execSync(cri, id, cmd, flags.timeout);
  }
  // crictl's request: stderr is separate only without a terminal.
  const { url } = await cri.runtime("Exec", {
    container_id: id,
    cmd,
    tty: flags.tty,
    stdin: flags.interactive,
    stdout: true,
    stderr: !flags.tty,
  });
  return runSession(url, flags);
}

async function execSync(cri: CriClient, id: string, cmd: string[], timeout: number) {
  const res = await cri.runtime("ExecSync", { container_id: id, cmd, timeout });
  process.stdout.write(res.stdout);
  process.stderr.write(res.stderr);
  return res.exit_code as number;
}
