import os from "node:os";
import { invalidArgument } from "../../../lib/errors.js";
import { nodeAddresses, type NodeAddress } from "./node-addresses.js";
import { readNodeResources } from "./node-capacity.js";
import { readNodeInfo, type NodeInfo } from "./node-info.js";
import type { PressureThresholds } from "./node-pressure.js";

/** What the node reports about itself that does not change while the agent runs. */
export interface NodeFacts {
  nodeName: string;
  /** The kubernetes.io/hostname label and the Hostname address. */
  hostname: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: NodeInfo;
  addresses: NodeAddress[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
}

export interface NodeFactsOptions {
  nodeName: string;
  /** The agent's root dir: ephemeral-storage is its filesystem. */
  root: string;
  /** The port of the agent's HTTPS API (logs, exec…). */
  kubeletPort: number;
  /** The InternalIP to report (default: the host's primary IPv4). */
  internalIP?: string;
  /** Default: the host's name, lowercased. */
  hostname?: string;
  /** Default 110. */
  maxPods?: number;
  thresholds?: PressureThresholds;
}

/** Capacity, allocatable, nodeInfo, addresses and the agent's endpoint, read from the host. */
export async function gatherNodeFacts(options: NodeFactsOptions): Promise<NodeFacts> {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(options.nodeName) || options.nodeName.length > 253) {
    throw invalidArgument(
      `node name ${JSON.stringify(options.nodeName)} must be a lowercase DNS subdomain`,
      { field: "nodeName" },
    );
  }
  const port = options.kubeletPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidArgument(`kubeletPort must be a port number, not ${port}`, {
      field: "kubeletPort",
    });
  }
  const hostname = options.hostname ?? os.hostname().toLowerCase();
  const [resources, nodeInfo, addresses] = await Promise.all([
    readNodeResources({
      root: options.root,
      maxPods: options.maxPods,
      thresholds: options.thresholds,
    }),
    readNodeInfo(),
    nodeAddresses({ internalIP: options.internalIP, hostname }),
  ]);
  return {
    nodeName: options.nodeName,
    hostname,
    ...resources,
    nodeInfo,
    addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
  };
}
