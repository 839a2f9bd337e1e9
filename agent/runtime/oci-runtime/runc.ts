import { errnoCode, notFound } from "../../../lib/errors.js";
import { run } from "../../../lib/exec.js";

export type RuncStatus = "creating" | "created" | "running" | "pausing" | "paused" | "stopped";

export interface RuncState {
  id: string;
  pid: number;
  status: RuncStatus;
  bundle: string;
}

/** The OCI runtime binary (runc, or crun with the same CLI), with its state under `root`. */
export class Runc {
  constructor(
    readonly binary: string,
    readonly root: string,
  ) {}

  private exec(args: string[], options: { input?: string; timeoutMs?: number } = {}) {
    return run(this.binary, ["--root", this.root, ...args], { timeoutMs: 30_000, ...options });
  }

  async start(id: string): Promise<void> {
    await this.exec(["start", id]);
  }

  /** Signals the container's init, or with `all` every process in its cgroup. */
  async kill(id: string, signal: string, all = false): Promise<void> {
    await this.exec(["kill", ...(all ? ["--all"] : []), id, signal]);
  }

  async delete(id: string, force = false): Promise<void> {
    try {
      await this.exec(["delete", ...(force ? ["--force"] : []), id]);
    } catch (err) {
      if (/does not exist|not exist/.test((err as Error).message)) return;
      throw err;
    }
  }

  /** The container's state, or undefined when runc does not know it. */
  async state(id: string): Promise<RuncState | undefined> {
    try {
      const { stdout } = await this.exec(["state", id]);
      return JSON.parse(stdout) as RuncState;
    } catch (err) {
      if (/does not exist|not exist/.test((err as Error).message)) return undefined;
      if (errnoCode(err) === "ENOENT") throw notFound(`OCI runtime ${this.binary} not found`);
      throw err;
    }
  }

  async list(): Promise<RuncState[]> {
    const { stdout } = await this.exec(["list", "--format", "json"]);
    return (JSON.parse(stdout || "null") as RuncState[] | null) ?? [];
  }

  /** Applies new resource limits (an OCI linux.resources object) to a running container. */
  async update(id: string, resources: object): Promise<void> {
    await this.exec(["update", "--resources", "-", id], { input: JSON.stringify(resources) });
  }
}
