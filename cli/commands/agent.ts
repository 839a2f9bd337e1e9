import { Command } from "commander";
import { startAgent } from "../../agent/agent.js";
import { createLogger } from "../../lib/logger.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";

export function agentCommand(): Command {
  return withNodeFlags(new Command("agent"))
    .description("run the node agent: CRI v1 on a unix socket")
    .option("--runtime <path>", "OCI runtime binary", "/usr/sbin/runc")
    .option("--conmon <path>", "conmon, the per-container monitor", "/usr/bin/conmon")
    .option("--cgroup-parent <path>", "cgroup for pods that name none", "/berth")
    .action(
      async (options: {
        root?: string;
        runDir?: string;
        criSocket?: string;
        runtime: string;
        conmon: string;
        cgroupParent: string;
      }) => {
        const logger = createLogger("agent");
        const agent = await startAgent({
          paths: nodePaths(options),
          logger,
          runtimePath: options.runtime,
          conmonPath: options.conmon,
          cgroupParent: options.cgroupParent,
        });
        await new Promise<void>((resolve) => {
          const shutdown = (signal: string) => {
            logger.info("shutting down", { signal });
            agent.stop().then(resolve, (err: unknown) => {
              logger.error("shutdown failed", { error: String(err) });
              resolve();
            });
          };
          process.once("SIGTERM", () => shutdown("SIGTERM"));
          process.once("SIGINT", () => shutdown("SIGINT"));
        });
      },
    );
}
