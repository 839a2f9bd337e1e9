import { Command } from "commander";
import { deadlineExceeded } from "../../lib/errors.js";
import { createLogger } from "../../lib/logger.js";
import { purge } from "../up/purge.js";
import { runningPid } from "../up/pid-file.js";
import { upLayout } from "../up/up-layout.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";

/** `berth down [--purge]`: stops a running `berth up`; with --purge removes all it made. */
export function downCommand(): Command {
  return withNodeFlags(new Command("down"))
    .description("stop `berth up`; with --purge also remove its pods, network and state")
    .option("--purge", "remove every pod, the bridge, and the root and run directories")
    .option("--cgroup-parent <path>", "the cgroup `berth up` put the pods under", "/berth")
    .action(
      async (flags: {
        root?: string;
        runDir?: string;
        criSocket?: string;
        purge?: boolean;
        cgroupParent: string;
      }) => {
        const logger = createLogger("down");
        const paths = nodePaths(flags);
        const pidFile = upLayout(paths.root).pidFile;
        const pid = await runningPid(pidFile);
        if (pid !== undefined) {
          process.kill(pid, "SIGTERM");
          const deadline = Date.now() + 60_000;
          while ((await runningPid(pidFile)) === pid) {
            if (Date.now() > deadline) {
              throw deadlineExceeded(`berth up (pid ${pid}) did not stop within 60 s`);
            }
            await new Promise((r) => setTimeout(r, 200));
          }
          console.log(`stopped berth up (pid ${pid})`);
        }
        if (flags.purge) {
          const { pods } = await purge(paths, flags.cgroupParent, logger);
          console.log(`removed ${pods} pod(s), the network and ${paths.root}`);
        } else if (pid === undefined) {
          console.log("berth up is not running");
        }
      },
    );
}
