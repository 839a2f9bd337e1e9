import type { Command } from "commander";
import { resolveNodePaths, type NodePaths } from "../../lib/config.js";

/** --root, --run-dir, --cri-socket: every command that touches a node's state takes them. */
export function withNodeFlags(command: Command): Command {
  return command
    .option("--root <dir>", "state directory (env BERTH_ROOT, default /var/lib/berth)")
    .option("--run-dir <dir>", "runtime directory (env BERTH_RUN_DIR, default /run/berth)")
    .option(
      "--cri-socket <path>",
      "CRI socket (env BERTH_CRI_SOCKET, default <run-dir>/berth.sock)",
    );
}

export function nodePaths(options: {
  root?: string;
  runDir?: string;
  criSocket?: string;
}): NodePaths {
  return resolveNodePaths(options);
}
