import type { ExecSyncRequest } from "../../../../../proto/gen/runtime/v1/ExecSyncRequest.js";
import type { ExecSyncResponse__Output } from "../../../../../proto/gen/runtime/v1/ExecSyncResponse.js";

export interface ExecAnswer {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Thrown instead of answering. */
  error?: Error;
}

/**
 * An ExecSync that answers from a script: `answer` decides by container and command (default
 * exit 0); every call is recorded.
 */
export class FakeExec {
  readonly calls: { containerId: string; cmd: string[]; timeout: number }[] = [];
  answer: (containerId: string, cmd: string[]) => ExecAnswer | Promise<ExecAnswer> = () => ({});

  readonly execSync = async (req: ExecSyncRequest): Promise<ExecSyncResponse__Output> => {
    const call = {
      containerId: req.container_id ?? "",
      cmd: req.cmd ?? [],
      timeout: Number(req.timeout ?? 0),
    };
    this.calls.push(call);
    const a = await this.answer(call.containerId, call.cmd);
    if (a.error) throw a.error;
    return {
      stdout: Buffer.from(a.stdout ?? ""),
      stderr: Buffer.from(a.stderr ?? ""),
      exit_code: a.exitCode ?? 0,
    };
  };

  callsFor(containerId: string): number {
    return this.calls.filter((c) => c.containerId === containerId).length;
  }
}
