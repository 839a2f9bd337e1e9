import { invalidArgument } from "../../lib/errors.js";
import { silentLogger, type Logger } from "../../lib/logger.js";
import { answerError, SimApiClient } from "./sim-api-client.js";
import { IpSequence } from "./sim-ip-sequence.js";
import { SimulatedNode, type SimNodeCounters } from "./sim-node.js";
import { leaseNamespace, type SimTaint } from "./sim-node-objects.js";
import { SimPodActor, type SimPodCounters } from "./sim-pod-actor.js";
import { watchAllPods, type PodWatch } from "./sim-pod-watch.js";

export type { SimTaint } from "./sim-node-objects.js";

export interface SimulatedNodesOptions {
  /** The controller, https://127.0.0.1:PORT. */
  url: string;
  /** PEM: the cluster CA, and a client certificate and key allowed to write nodes, leases, pods. */
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
  /** How many nodes: <namePrefix>1 … <namePrefix><count>. */
  count: number;
  namePrefix?: string;
  /** capacity = allocatable, as quantities (default cpu "4", memory "8Gi", pods "110"). */
  capacity?: Record<string, string>;
  /** Extra labels (e.g. a zone, node-role.kubernetes.io/worker: ""), the same or per node. */
  labels?: Record<string, string> | ((name: string, index: number) => Record<string, string>);
  taints?: SimTaint[] | ((name: string, index: number) => SimTaint[]);
  /** Lease renewal period, spread over the nodes; node status every 4 renewals (default 10). */
  heartbeatSeconds?: number;
  /** Prefix of the fake pod IPs, one to three octets (default "10.200"). */
  podIpBase?: string;
  /** Simultaneous API requests (default 32, also the keep-alive socket count). */
  concurrency?: number;
  logger?: Logger;
}

export interface SimulatedNodesStats {
  /** Pods made Running (successful PATCH pods/<p>/status). */
  statusPatches: number;
  /** Terminating pods deleted with grace 0. */
  deletes: number;
  leaseRenewals: number;
  nodeStatusUpdates: number;
  /** Pod lists: 1 at start, one more after each 410 or dropped watch. */
  podLists: number;
  /** HTTP requests sent (retries included, the watch excluded). */
  requests: number;
}

export interface SimulatedNodes {
  names: string[];
  /** The node goes "down": no lease renewals, no node status, no pod actions. */
  pauseHeartbeats(name: string): void;
  /** Back up: renews and reports at once, then catches up with its pods. */
  resumeHeartbeats(name: string): void;
  /** "namespace/name" of the pods bound to the node that still exist, as the fixture saw them. */
  podsOn(name: string): string[];
  stats(): SimulatedNodesStats;
  /** Stops everything; with deleteNodes, deletes the Nodes and their Leases first. */
  stop(options?: { deleteNodes?: boolean }): Promise<void>;
}

const statusEveryHeartbeats = 4;
const defaultCapacity = { cpu: "4", memory: "8Gi", pods: "110" };

/**
 * Simulated nodes, like kwok: N kubelets without containers that register their Nodes, renew
 * their Leases, and turn pods bound to them Running (and finish deleting them), so the control
 * plane can be exercised at cluster scale. Talks only to `url`. Resolves once every node is
 * registered with its Lease and the pod list is in.
 */
export async function startSimulatedNodes(options: SimulatedNodesOptions): Promise<SimulatedNodes> {
  const settings = checkOptions(options);
  const logger = options.logger ?? silentLogger();
  const nodeIps = new IpSequence("10.201", "node addresses");
  const podIps = new IpSequence(settings.podIpBase, "podIpBase");
  const client = new SimApiClient(
    settings.url,
    { ca: options.ca, cert: options.cert, key: options.key },
    settings.concurrency,
  );
  const counters: SimNodeCounters & SimPodCounters = {
    leaseRenewals: 0,
    nodeStatusUpdates: 0,
    statusPatches: 0,
    deletes: 0,
  };
  const nodes = new Map<string, SimulatedNode>();
  for (let i = 0; i < settings.count; i++) {
    const name = `${settings.namePrefix}${i + 1}`;
    const labels = typeof options.labels === "function" ? options.labels(name, i) : options.labels;
    const taints = typeof options.taints === "function" ? options.taints(name, i) : options.taints;
    const shape = {
      name,
      internalIP: nodeIps.at(i),
      labels: { ...labels },
      taints: [...(taints ?? [])],
      capacity: settings.capacity,
    };
    nodes.set(name, new SimulatedNode(shape, client, counters, logger));
  }
  const actor = new SimPodActor(nodes, client, podIps, counters, logger);
  const timers: NodeJS.Timeout[] = [];
  let watch: PodWatch | undefined;

  try {
    await ensureNamespace(client, leaseNamespace);
    await Promise.all([...nodes.values()].map((node) => node.register()));
    watch = watchAllPods(client, actor, logger);
    await watch.synced;
  } catch (err) {
    watch?.stop();
    await client.close();
    throw err;
  }

  const periodMs = settings.heartbeatSeconds * 1000;
  [...nodes.values()].forEach((node, i) => {
    const beat = () => void node.heartbeat(statusEveryHeartbeats);
    const first = setTimeout(
      () => {
        beat();
        timers.push(setInterval(beat, periodMs));
      },
      (periodMs * (i + 1)) / nodes.size,
    );
    timers.push(first);
  });

  const nodeNamed = (name: string) => {
    const node = nodes.get(name);
    if (!node)
      throw invalidArgument(`simulated nodes: no node named ${JSON.stringify(name)}`, {
        field: "name",
      });
    return node;
  };
  let stopping: Promise<void> | undefined;

  return {
    names: [...nodes.keys()],
    pauseHeartbeats: (name) => {
      nodeNamed(name).paused = true;
    },
    resumeHeartbeats: (name) => {
      const node = nodeNamed(name);
      if (!node.paused) return;
      node
        .resume()
        .catch((err: Error) =>
          logger.warn("simulated node resume failed", { node: name, error: err.message }),
        );
      actor.actOnNode(name);
    },
    podsOn: (name) => actor.podsOn(nodeNamed(name).name),
    stats: () => ({
      statusPatches: counters.statusPatches,
      deletes: counters.deletes,
      leaseRenewals: counters.leaseRenewals,
      nodeStatusUpdates: counters.nodeStatusUpdates,
      podLists: watch?.relists() ?? 0,
      requests: client.requests,
    }),
    stop: (stopOptions = {}) =>
      (stopping ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        watch?.stop();
        actor.stop();
        for (const node of nodes.values()) node.paused = true;
        try {
          if (stopOptions.deleteNodes)
            await Promise.all([...nodes.values()].map((n) => n.remove()));
        } finally {
          await client.close();
        }
      })()),
  };
}

async function ensureNamespace(client: SimApiClient, name: string): Promise<void> {
  const answer = await client.request(
    "POST",
    "/api/v1/namespaces",
    { apiVersion: "v1", kind: "Namespace", metadata: { name } },
    { priority: "high" },
  );
  if (answer.status !== 201 && answer.status !== 409) {
    throw answerError(`create namespace ${name}`, answer);
  }
}

function checkOptions(options: SimulatedNodesOptions) {
  const fail = (field: string, what: string, value: unknown): never => {
    throw invalidArgument(
      `simulated nodes: ${field} must be ${what}, not ${JSON.stringify(value)}`,
      { field },
    );
  };
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    // reported below
  }
  if (url?.protocol !== "https:") fail("url", "an https:// URL", options.url);
  for (const field of ["ca", "cert", "key"] as const) {
    const value = options[field];
    if (!(typeof value === "string" || Buffer.isBuffer(value)) || value.length === 0) {
      fail(field, "PEM text", typeof value);
    }
  }
  const count = options.count;
  if (!Number.isInteger(count) || count < 1 || count > 65_000) {
    fail("count", "an integer from 1 to 65000", count);
  }
  const namePrefix = options.namePrefix ?? "sim-";
  if (!/^[a-z0-9]([-a-z0-9.]{0,200}[-a-z0-9.])?$/.test(namePrefix)) {
    fail(
      "namePrefix",
      "lowercase letters, digits, '-' and '.', starting with a letter or digit",
      namePrefix,
    );
  }
  const heartbeatSeconds = options.heartbeatSeconds ?? 10;
  if (typeof heartbeatSeconds !== "number" || !(heartbeatSeconds > 0) || heartbeatSeconds > 3600) {
    fail("heartbeatSeconds", "a number of seconds above 0 and at most 3600", heartbeatSeconds);
  }
  const concurrency = options.concurrency ?? 32;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    fail("concurrency", "an integer from 1 to 1024", concurrency);
  }
  const capacity = { ...(options.capacity ?? defaultCapacity) };
  for (const [name, value] of Object.entries(capacity)) {
    if (typeof value !== "string" || value === "")
      fail(`capacity.${name}`, "a quantity string", value);
  }
  return {
    url: options.url.replace(/\/+$/, ""),
    count,
    namePrefix,
    heartbeatSeconds,
    concurrency,
    capacity,
    podIpBase: options.podIpBase ?? "10.200",
  };
}
