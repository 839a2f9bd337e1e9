import { Command } from "commander";
import { nodeAddressTypes } from "../../controller/api/node-proxy/node-streaming-config.js";
import { startController } from "../../controller/controller.js";
import { parseDuration } from "../../controller/nodelifecycle/go-duration.js";
import { invalidArgument } from "../../lib/errors.js";
import { createLogger, logLevels, resolveLogLevel } from "../../lib/logger.js";

interface ControllerFlags {
  etcdServers: string;
  listen: string;
  dataDir: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  tokenAuthFile?: string;
  authorizationPolicyFile?: string;
  leaderLeaseSeconds: string;
  nodeMonitorGracePeriod: string;
  defaultNotReadyTolerationSeconds: string;
  defaultUnreachableTolerationSeconds: string;
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  kubeletCertificateAuthority?: string;
  kubeletPreferredAddressTypes: string;
  logLevel?: string;
}

/** `berth controller`: the Kubernetes API on etcd, over HTTPS. */
export function controllerCommand(): Command {
  return new Command("controller")
    .description("run the control plane: a Kubernetes-compatible API over HTTPS, stored in etcd")
    .option("--etcd-servers <urls>", "etcd client URLs, comma-separated", "http://127.0.0.1:2379")
    .option("--listen <host:port>", "address to serve HTTPS on", "127.0.0.1:6443")
    .option("--data-dir <dir>", "certificates and admin.kubeconfig", "/var/lib/berth/controller")
    .option("--tls-cert-file <file>", "serving certificate (instead of the generated one)")
    .option("--tls-private-key-file <file>", "serving certificate's key")
    .option("--client-ca-file <file>", "CA bundle that client certificates must chain to")
    .option("--token-auth-file <file>", 'static bearer tokens: token,user,uid,"group1,group2"')
    .option("--authorization-policy-file <file>", "ABAC policy (one JSON Policy per line)")
    .option(
      "--leader-lease-seconds <n>",
      "leader election lease: one controller schedules; a dead leader is replaced within this",
      "15",
    )
    .option(
      "--node-monitor-grace-period <duration>",
      "a node whose Lease and status go unrenewed this long becomes NotReady (Unknown) and " +
        "gets the node.kubernetes.io/unreachable taints; a duration (40s, 1m30s) or seconds",
      "40s",
    )
    .option(
      "--default-not-ready-toleration-seconds <n>",
      "tolerationSeconds of the node.kubernetes.io/not-ready:NoExecute toleration added to " +
        "every new pod that has none: how long its pods stay on a NotReady node",
      "300",
    )
    .option(
      "--default-unreachable-toleration-seconds <n>",
      "tolerationSeconds of the node.kubernetes.io/unreachable:NoExecute toleration added to " +
        "every new pod that has none: how long its pods stay on an unreachable node",
      "300",
    )
    .option(
      "--kubelet-client-certificate <file>",
      "client certificate the controller shows node agents when it proxies logs, exec, attach " +
        "and port forwarding (default: the one it generates, CN berth-apiserver-kubelet-client)",
    )
    .option("--kubelet-client-key <file>", "the key of --kubelet-client-certificate")
    .option(
      "--kubelet-certificate-authority <file>",
      "CA that node agents' serving certificates must chain to (default: not verified, as " +
        "agents sign their own)",
    )
    .option(
      "--kubelet-preferred-address-types <types>",
      "node address types to reach agents at, in order of preference",
      "InternalIP,ExternalIP,Hostname",
    )
    .option("--log-level <level>", `${logLevels.join("|")} (default: $BERTH_LOG_LEVEL or info)`)
    .action(async (flags: ControllerFlags) => {
      const logger = createLogger("controller", resolveLogLevel(flags.logLevel));
      const [listenHost, listenPort] = splitHostPort(flags.listen);
      const tlsGiven = [flags.tlsCertFile, flags.tlsPrivateKeyFile, flags.clientCaFile];
      if (tlsGiven.some(Boolean) && !tlsGiven.every(Boolean)) {
        throw invalidArgument(
          "--tls-cert-file, --tls-private-key-file and --client-ca-file go together",
          { field: "tls-cert-file" },
        );
      }
      const controller = await startController({
        etcdServers: flags.etcdServers
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        listenHost,
        listenPort,
        dataDir: flags.dataDir,
        logger,
        tlsFiles: flags.tlsCertFile
          ? {
              tlsCertFile: flags.tlsCertFile,
              tlsPrivateKeyFile: flags.tlsPrivateKeyFile!,
              clientCaFile: flags.clientCaFile!,
            }
          : undefined,
        tokenFile: flags.tokenAuthFile,
        policyFile: flags.authorizationPolicyFile,
        leaseSeconds: positiveInt(flags.leaderLeaseSeconds, "leader-lease-seconds"),
        nodeMonitorGracePeriodMs: gracePeriod(flags.nodeMonitorGracePeriod),
        defaultNotReadyTolerationSeconds: seconds(
          flags.defaultNotReadyTolerationSeconds,
          "default-not-ready-toleration-seconds",
        ),
        defaultUnreachableTolerationSeconds: seconds(
          flags.defaultUnreachableTolerationSeconds,
          "default-unreachable-toleration-seconds",
        ),
        kubeletClient: {
          certFile: flags.kubeletClientCertificate,
          keyFile: flags.kubeletClientKey,
          caFile: flags.kubeletCertificateAuthority,
        },
        kubeletPreferredAddressTypes: addressTypes(flags.kubeletPreferredAddressTypes),
      });
      const stop = () => {
        void controller.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
}

function splitHostPort(text: string): [string, number] {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw invalidArgument(`--listen: ${JSON.stringify(text)} is not HOST:PORT`, {
      field: "listen",
    });
  }
  return [m[1].replace(/^\[|\]$/g, ""), port];
}

function positiveInt(text: string, field: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) {
    throw invalidArgument(`--${field}: ${JSON.stringify(text)} is not a positive number`, {
      field,
    });
  }
  return n;
}

function gracePeriod(text: string): number {
  const field = "node-monitor-grace-period";
  const ms = parseDuration(text, field);
  if (ms < 1 || ms > 24 * 3_600_000) {
    throw invalidArgument(`--${field}: ${JSON.stringify(text)} must be from 1ms to 24h`, {
      field,
    });
  }
  return ms;
}

function seconds(text: string, field: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw invalidArgument(
      `--${field}: ${JSON.stringify(text)} is not a number of seconds (0 or more)`,
      {
        field,
      },
    );
  }
  return n;
}

function addressTypes(text: string): string[] {
  const field = "kubelet-preferred-address-types";
  const types = text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.filter((t) => !nodeAddressTypes.includes(t));
  if (types.length === 0 || unknown.length > 0) {
    throw invalidArgument(
      `--${field}: ${JSON.stringify(text)} must list node address types (${nodeAddressTypes.join(", ")})`,
      { field },
    );
  }
  return types;
}
