import type { Logger } from "../../../lib/logger.js";
import { Backoff, pause, type BackoffOptions } from "../../kube/backoff.js";
import type { EventRecorder } from "../../kube/event-recorder.js";
import type { KubeClient } from "../../kube/kube-client.js";
import type { Node, ObjectReference } from "../../kube/types.js";
import { startLeaseRenewer, type LeaseRenewer, type LeaseRenewerOptions } from "./lease-renewer.js";
import type { NodeReadiness } from "./node-conditions.js";
import type { NodeFacts } from "./node-facts.js";
import type { Taint } from "./node-object.js";
import { registerNode } from "./node-registration.js";
import {
  startNodeStatusReporter,
  type NodeStatusReporter,
  type NodeStatusReporterOptions,
} from "./node-status-reporter.js";

export interface NodeAgentOptions {
  client: KubeClient;
  facts: NodeFacts;
  /** The agent's root dir (DiskPressure). */
  root: string;
  readiness: () => NodeReadiness | Promise<NodeReadiness>;
  logger: Logger;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Where node events (Starting, NodeReady…) go; none when absent. */
  events?: EventRecorder;
  lease?: Pick<LeaseRenewerOptions, "leaseDurationSeconds" | "renewIntervalMs" | "onRenewed">;
  status?: Pick<
    NodeStatusReporterOptions,
    "checkIntervalMs" | "reportFrequencyMs" | "thresholds" | "observePressure"
  >;
  /** Delays between failed registrations (default 100 ms doubling to 7 s, as kubelet). */
  registrationBackoff?: BackoffOptions;
}

export interface NodeAgent {
  /** The Node once registered; undefined when stopped before that. */
  registered: Promise<Node | undefined>;
  /** Evaluates the node's conditions now and posts them if they changed. */
  syncStatus(): Promise<void>;
  stop(): Promise<void>;
}

/** How kubelet refers to its Node in events: the node name doubles as the uid. */
export function nodeReference(nodeName: string): ObjectReference {
  return { kind: "Node", name: nodeName, uid: nodeName };
}

/**
 * The agent's node side: registers the Node (retrying until it succeeds), then keeps its Lease
 * renewed and its status current, until stop().
 */
export function startNodeAgent(options: NodeAgentOptions): NodeAgent {
  const { client, facts, logger } = options;
  const nodeName = facts.nodeName;
  const abort = new AbortController();
  const backoff = new Backoff({ initialMs: 100, maxMs: 7_000, ...options.registrationBackoff });
  const ref = nodeReference(nodeName);
  let lease: LeaseRenewer | undefined;
  let reporter: NodeStatusReporter | undefined;

  const registered = (async (): Promise<Node | undefined> => {
    options.events?.record(ref, "Normal", "Starting", "Starting kubelet.");
    while (!abort.signal.aborted) {
      try {
        const node = await registerNode(client, facts, {
          labels: options.labels,
          taints: options.taints,
          signal: abort.signal,
        });
        logger.info("node registered", { node: nodeName, uid: node.metadata?.uid });
        return node;
      } catch (err) {
        if (abort.signal.aborted) break;
        const delayMs = backoff.next();
        logger.warn("could not register the node", {
          node: nodeName,
          error: (err as Error).message,
          retryInMs: delayMs,
        });
        await pause(delayMs, abort.signal);
      }
    }
    return undefined;
  })();

  const started = registered.then((node) => {
    if (!node || abort.signal.aborted) return;
    lease = startLeaseRenewer({
      client,
      nodeName,
      nodeUid: node.metadata?.uid,
      logger,
      ...options.lease,
    });
    reporter = startNodeStatusReporter({
      client,
      facts,
      root: options.root,
      readiness: options.readiness,
      logger,
      initialConditions: node.status?.conditions,
      onConditionEvent: (reason) =>
        options.events?.record(ref, "Normal", reason, `Node ${nodeName} status is now: ${reason}`),
      ...options.status,
    });
  });

  return {
    registered,
    syncStatus: async () => {
      await started;
      await reporter?.sync();
    },
    stop: async () => {
      abort.abort();
      await started;
      await Promise.all([lease?.stop(), reporter?.stop()]);
    },
  };
}
