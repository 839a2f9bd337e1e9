import { Command } from "commander";
import { createLogger, logLevels, resolveLogLevel } from "../../lib/logger.js";
import { runUp } from "../up/run-up.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";
import { portFlag } from "./port-flag.js";

interface UpFlags {
  root?: string;
  runDir?: string;
  criSocket?: string;
  nodeName?: string;
  etcdPort: string;
  etcdPeerPort: string;
  apiPort: string;
  kubeletPort: string;
  cgroupParent: string;
  logLevel?: string;
}

/** `berth up`: a one-machine cluster (etcd, controller, agent), offline, until Ctrl-C. */
export function upCommand(): Command {
  return withNodeFlags(new Command("up"))
    .description(
      "run a one-machine cluster here: etcd, the controller and this node's agent, on 127.0.0.1",
    )
    .option("--node-name <name>", "this node's name (default: the host name)")
    .option("--etcd-port <port>", "etcd client port on 127.0.0.1", "2379")
    .option("--etcd-peer-port <port>", "etcd peer port on 127.0.0.1", "2380")
    .option("--api-port <port>", "Kubernetes API port on 127.0.0.1", "6443")
    .option("--kubelet-port <port>", "the agent's HTTPS port (logs, exec) on 127.0.0.1", "10250")
    .option("--cgroup-parent <path>", "cgroup for the pods", "/berth")
    .option("--log-level <level>", `${logLevels.join("|")} (default: $BERTH_LOG_LEVEL or info)`)
    .action(async (flags: UpFlags) => {
      const logger = createLogger("up", resolveLogLevel(flags.logLevel));
      const paths = nodePaths(flags);
      const up = await runUp({
        paths,
        nodeName: flags.nodeName,
        etcdPort: portFlag(flags.etcdPort, "etcd-port"),
        etcdPeerPort: portFlag(flags.etcdPeerPort, "etcd-peer-port"),
        apiPort: portFlag(flags.apiPort, "api-port"),
        kubeletPort: portFlag(flags.kubeletPort, "kubelet-port"),
        cgroupParent: flags.cgroupParent,
        logger,
      });
      process.stdout.write(
        [
          `Berth is up: a one-node cluster on this machine (node ${up.nodeName}, API ${up.apiUrl}).`,
          "",
          `  export KUBECONFIG=${up.layout.adminKubeconfig}`,
          "  kubectl get nodes",
          "  kubectl create deployment hello --image=berth.local/busybox:stable -- httpd -f -p 8080",
          "  kubectl get pods -o wide",
          "",
          "Ctrl-C stops Berth; running containers keep running and the next `berth up` adopts them.",
          `\`berth down --purge${flags.root ? ` --root ${up.layout.root}` : ""}\` removes everything it made.`,
          "",
        ].join("\n"),
      );
      logger.info("cluster is up", {
        node: up.nodeName,
        api: up.apiUrl,
        kubeconfig: up.layout.adminKubeconfig,
      });

      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          logger.info("stopping", { signal });
          up.stop().then(resolve, (err: unknown) => {
            logger.error("stop failed", { error: String(err) });
            process.exitCode = 1;
            resolve();
          });
        };
        process.once("SIGINT", () => shutdown("SIGINT"));
        process.once("SIGTERM", () => shutdown("SIGTERM"));
      });
    });
}
