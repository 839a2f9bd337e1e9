import { Command } from "commander";
import path from "node:path";
import { startAgent, type KubeletAgentOptions } from "../../agent/agent.js";
import { parseIpList, parseNodeLabels, parseTaints } from "../../agent/kubelet/kubelet-flags.js";
import {
  parseContainerLogMaxFiles,
  parseContainerLogMaxSize,
} from "../../agent/kubelet/logs/log-rotation-policy.js";
import { parseDuration } from "../../controller/nodelifecycle/go-duration.js";
import { invalidArgument } from "../../lib/errors.js";
import { createLogger, logLevels, resolveLogLevel } from "../../lib/logger.js";
import { nodePaths, withNodeFlags } from "./node-flags.js";
import { portFlag } from "./port-flag.js";

export function agentCommand(): Command {
  return withNodeFlags(new Command("agent"))
    .description(
      "run the node agent: CRI v1 on a unix socket; with --kubeconfig also the kubelet, running the pods the cluster binds to this node",
    )
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
    .option(
      "--streaming-address <ip>",
      "where the CRI streaming server (Exec/Attach/PortForward URLs) listens",
      "127.0.0.1",
    )
    .option("--streaming-port <port>", "the CRI streaming server's port (0: a free one)", "0")
    .option(
      "--kubeconfig <file>",
      "join the cluster of this kubeconfig as a node (the kubelet role)",
    )
    .option("--node-name <name>", "the Node's name (default: the hostname, lowercased)")
    .option("--node-ip <ip>", "the node's InternalIP (default: the host's primary IPv4)")
    .option("--kubelet-port <port>", "the HTTPS API's port (0: a free one)", "10250")
    .option("--kubelet-address <ip>", "the address the HTTPS API listens on", "0.0.0.0")
    .option("--tls-cert-file <file>", "serving certificate (default: self-signed in <root>/pki)")
    .option("--tls-private-key-file <file>", "the serving certificate's key")
    .option("--client-ca-file <file>", "CA of the clients allowed (default: the kubeconfig's CA)")
    .option("--node-labels <k=v,...>", "labels the Node registers with")
    .option("--register-with-taints <k=v:Effect,...>", "taints the Node registers with")
    .option("--pod-logs-dir <dir>", "where pods' container logs go", "/var/log/pods")
    .option("--cluster-dns <ips>", "cluster DNS servers, comma-separated (pods' ClusterFirst DNS)")
    .option("--cluster-domain <domain>", "the cluster's DNS domain, e.g. cluster.local")
    .option(
      "--container-log-max-size <quantity>",
      "rotate a container's log once it is this big (negative: never)",
      "10Mi",
    )
    .option(
      "--container-log-max-files <n>",
      "log files kept per container, the live one included (≥ 2)",
      "5",
    )
    .option(
      "--container-log-monitor-interval <duration>",
      "how often container logs are checked for rotation",
      "10s",
    )
    .option("--log-level <level>", `${logLevels.join("|")} (default: $BERTH_LOG_LEVEL or info)`)
    .action(
      async (
        options: {
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
          streamingAddress: string;
          streamingPort: string;
          logLevel?: string;
        } & KubeletFlags,
      ) => {
        const logger = createLogger("agent", resolveLogLevel(options.logLevel));
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
          streamingAddress: options.streamingAddress,
          streamingPort: portFlag(options.streamingPort, "streaming-port"),
          kubelet: kubeletOptions(options),
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

interface KubeletFlags {
  kubeconfig?: string;
  nodeName?: string;
  nodeIp?: string;
  kubeletPort: string;
  kubeletAddress: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  nodeLabels?: string;
  registerWithTaints?: string;
  podLogsDir: string;
  clusterDns?: string;
  clusterDomain?: string;
  containerLogMaxSize: string;
  containerLogMaxFiles: string;
  containerLogMonitorInterval: string;
}

/** The kubelet role's options from the flags; undefined without --kubeconfig (CRI only). */
function kubeletOptions(flags: KubeletFlags): KubeletAgentOptions | undefined {
  if (flags.kubeconfig === undefined) return undefined;
  const port = portFlag(flags.kubeletPort, "kubelet-port");
  return {
    kubeconfig: flags.kubeconfig,
    nodeName: flags.nodeName,
    nodeIP: flags.nodeIp,
    port,
    address: flags.kubeletAddress,
    tlsCertFile: flags.tlsCertFile,
    tlsPrivateKeyFile: flags.tlsPrivateKeyFile,
    clientCaFile: flags.clientCaFile,
    nodeLabels: flags.nodeLabels ? parseNodeLabels(flags.nodeLabels) : undefined,
    taints: flags.registerWithTaints ? parseTaints(flags.registerWithTaints) : undefined,
    podLogsDir: path.resolve(flags.podLogsDir),
    clusterDns: flags.clusterDns ? parseIpList(flags.clusterDns) : undefined,
    clusterDomain: flags.clusterDomain,
    containerLogRotation: containerLogRotation(flags),
  };
}

/** --container-log-*: kubelet's log rotation policy; false when the size turns it off. */
function containerLogRotation(flags: KubeletFlags): KubeletAgentOptions["containerLogRotation"] {
  const maxSizeBytes = parseContainerLogMaxSize(flags.containerLogMaxSize);
  const maxFiles = parseContainerLogMaxFiles(flags.containerLogMaxFiles);
  const field = "container-log-monitor-interval";
  const monitorIntervalMs = parseDuration(flags.containerLogMonitorInterval, field);
  if (!(monitorIntervalMs >= 1)) {
    throw invalidArgument(`--${field} must be at least 1ms`, { field });
  }
  return maxSizeBytes === undefined ? false : { maxSizeBytes, maxFiles, monitorIntervalMs };
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0))
    throw invalidArgument(`--${flag} must be a positive number of seconds`, { field: flag });
  return n;
}
