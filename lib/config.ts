import path from "node:path";
import { invalidArgument } from "./errors.js";

/** Where a Berth node keeps its state; flags win over environment variables, which win over defaults. */
export interface NodePaths {
  /** Persistent state: images, snapshots, container records. */
  root: string;
  /** Volatile state: sockets, pinned namespaces, mounts. */
  runDir: string;
  /** The CRI gRPC unix socket. */
  criSocket: string;
}

export interface NodePathFlags {
  root?: string;
  runDir?: string;
  criSocket?: string;
}

export const defaults = {
  root: "/var/lib/berth",
  runDir: "/run/berth",
};

export function resolveNodePaths(
  flags: NodePathFlags,
  env: NodeJS.ProcessEnv = process.env,
): NodePaths {
  const root = absolute("root", flags.root ?? env.BERTH_ROOT ?? defaults.root);
  const runDir = absolute("run-dir", flags.runDir ?? env.BERTH_RUN_DIR ?? defaults.runDir);
  const criSocket = absolute(
    "cri-socket",
    flags.criSocket ?? env.BERTH_CRI_SOCKET ?? path.join(runDir, "berth.sock"),
  );
  return { root, runDir, criSocket };
}

function absolute(flag: string, value: string): string {
  if (value === "") throw invalidArgument(`--${flag} must not be empty`, { field: flag });
  return path.resolve(value);
}
