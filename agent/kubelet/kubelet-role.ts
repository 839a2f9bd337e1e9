import os from "node:os";
import path from "node:path";
import type { Logger } from "../../lib/logger.js";
import type { Registry } from "../../lib/metrics.js";
import type { PullImageDeps } from "../cri/image/pull-image.js";
import type { ImageStore } from "../images/image-store.js";
import { KubeClient } from "../kube/kube-client.js";
import { loadKubeconfig } from "../kube/kubeconfig.js";
import type { NetworkCondition } from "../network/pod-network.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { startKubelet, type RunningKubelet } from "./kubelet.js";
import { kubeletTls } from "./kubelet-tls.js";
import type { LogRotationPolicy } from "./logs/log-rotation-policy.js";
import { primaryIPv4 } from "./node/node-addresses.js";
import type { Taint } from "./node/node-object.js";

/** The agent's kubelet role: `berth agent --kubeconfig …` (and `berth up`) set these. */
export interface KubeletAgentOptions {
  /** The node's kubeconfig: the API server, its CA, a system:node:<name> client certificate. */
  kubeconfig: string;
  /** Default: the host's name, lowercased. */
  nodeName?: string;
  /** The node's InternalIP (default: the host's primary IPv4). */
  nodeIP?: string;
  /** The HTTPS API's port (default 10250; 0: a free one, logged and registered on the Node). */
  port?: number;
  /** The address the HTTPS API listens on (default 0.0.0.0). */
  address?: string;
  /** A serving certificate and key (PEM files); default: self-signed, kept in <root>/pki. */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** The CA callers' client certificates must chain to (default: the kubeconfig's cluster CA). */
  clientCaFile?: string;
  /** Users allowed on the HTTPS API besides the system:masters group. */
  allowedUsers?: string[];
  /** Labels the Node registers with (--node-labels). */
  nodeLabels?: Record<string, string>;
  /** Taints the Node registers with (--register-with-taints). */
  taints?: Taint[];
  /** kubelet's pod logs root (default /var/log/pods). */
  podLogsDir?: string;
  clusterDns?: string[];
  clusterDomain?: string;
  /** --container-log-max-size/-max-files (kubelet's defaults when left out); false: no rotation. */
  containerLogRotation?: Partial<LogRotationPolicy> | false;
}

/** What the agent already opened, shared with the kubelet (one runtime, one image store). */
export interface KubeletShared {
  runtime: RuntimeDeps;
  images: ImageStore;
  pull: PullImageDeps;
  network: { condition(): Promise<NetworkCondition> };
  runtimePath: string;
  metrics: Registry;
  logger: Logger;
}

/** Reads the node's credentials, settles its TLS material and starts the kubelet. */
export async function startKubeletRole(
  options: KubeletAgentOptions,
  shared: KubeletShared,
): Promise<RunningKubelet> {
  const nodeName = options.nodeName ?? os.hostname().toLowerCase();
  const logger = shared.logger.child({ component: "kubelet" });
  const credentials = await loadKubeconfig(options.kubeconfig);
  const nodeIP = options.nodeIP ?? (await primaryIPv4());
  const hostname = os.hostname().toLowerCase();
  const tls = await kubeletTls({
    certFile: options.tlsCertFile,
    keyFile: options.tlsPrivateKeyFile,
    clientCaFile: options.clientCaFile,
    clusterCa: credentials.ca,
    pkiDir: path.join(shared.runtime.paths.root, "pki"),
    nodeName,
    hosts: [nodeName, hostname, "localhost", "127.0.0.1", ...(nodeIP ? [nodeIP] : [])],
    logger,
  });
  const client = new KubeClient(credentials);
  try {
    return await startKubelet({
      ...shared,
      logger,
      client,
      nodeName,
      nodeIP,
      port: options.port ?? 10250,
      address: options.address,
      tls,
      allowedUsers: options.allowedUsers,
      podLogsDir: options.podLogsDir ?? "/var/log/pods",
      labels: options.nodeLabels,
      taints: options.taints,
      clusterDns: options.clusterDns,
      clusterDomain: options.clusterDomain,
      containerLogRotation: options.containerLogRotation,
    });
  } catch (err) {
    client.close();
    throw err;
  }
}
