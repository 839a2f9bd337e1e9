import { Command } from "commander";
import { startAgent } from "../../agent/agent.js";
import { invalidArgument } from "../../lib/errors.js";
import { createLogger } from "../../lib/logger.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";

export function agentCommand(): Command {
  return withNodeFlags(new Command("agent"))
    .description("run the node agent: CRI v1 on a unix socket")
    .option("--runtime <path>", "OCI runtime binary", "/usr/sbin/runc")
    .option("--conmon <path>", "conmon, the per-container monitor", "/usr/bin/conmon")
    .option("--cgroup-parent <path>", "cgroup for pods that name none", "/berth")
    .option(
      "--cni-conf-dir <dir>",
      "CNI network configs (the first file is used)",
      "/etc/cni/net.d",
    )
    .option(
      "--cni-bin-dir <dirs>",
      "CNI plugin search path, colon-separated (default: Berth's plugins, /usr/lib/cni, /opt/cni/bin)",
    )
    .option(
      "--config-dir <dir>",
      "registry config: mirrors and CAs in certs.d/<host>/hosts.toml, credentials in auth.json",
      "/etc/berth",
    )
    .option(
      "--pull-stall-timeout <seconds>",
      "fail an image pull that receives nothing for this long",
      "60",
    )
    .action(
      async (options: {
        root?: string;
        runDir?: string;
        criSocket?: string;
        runtime: string;
        conmon: string;
        cgroupParent: string;
        cniConfDir: string;
        cniBinDir?: string;
        configDir: string;
        pullStallTimeout: string;
      }) => {
        const logger = createLogger("agent");
        const agent = await startAgent({
          paths: nodePaths(options),
          logger,
          runtimePath: options.runtime,
          conmonPath: options.conmon,
          cgroupParent: options.cgroupParent,
          cniConfDir: options.cniConfDir,
          cniBinDirs: options.cniBinDir?.split(":").filter(Boolean),
          configDir: options.configDir,
          pullStallTimeoutMs: seconds("pull-stall-timeout", options.pullStallTimeout) * 1000,
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

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0))
    throw invalidArgument(`--${flag} must be a positive number of seconds`, { field: flag });
  return n;
}
