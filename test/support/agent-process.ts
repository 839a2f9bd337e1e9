import { existsSync } from "node:fs";
import path from "node:path";
import { startBerthProcess, type BerthProcess } from "./berth-process.js";

export { berthBin } from "./berth-process.js";

export interface AgentProcess extends BerthProcess {
  socket: string;
}

/** Starts `berth agent` on an isolated root and run dir; resolves once its socket exists. */
export async function startAgentProcess(
  base: string,
  extraArgs: string[] = [],
): Promise<AgentProcess> {
  const socket = path.join(base, "run", "berth.sock");
  const started = await startBerthProcess(
    [
      "agent",
      "--root",
      path.join(base, "root"),
      "--run-dir",
      path.join(base, "run"),
      "--cri-socket",
      socket,
      // Never the host's /etc/cni/net.d: each test agent has its own network configs.
      "--cni-conf-dir",
      path.join(base, "cni", "net.d"),
      ...extraArgs,
    ],
    (stderr) => existsSync(socket) && stderr.includes("serving CRI"),
    15_000,
  );
  return { ...started, socket };
}
