import type { Logger } from "../../../lib/logger.js";
import { pause } from "../../kube/backoff.js";
import type { KubeClient } from "../../kube/kube-client.js";
import type { Node, NodeCondition } from "../../kube/types.js";
import {
  conditionsChanged,
  nextConditions,
  type NodeReadiness,
  type ObservedNodeState,
} from "./node-conditions.js";
import type { NodeFacts } from "./node-facts.js";
import { factsStatus, nodePath } from "./node-object.js";
import { positiveInteger } from "./positive-integer.js";
import { readNodePressure, type NodePressure, type PressureThresholds } from "./node-pressure.js";

export interface NodeStatusReporterOptions {
  client: KubeClient;
  facts: NodeFacts;
  /** The agent's root dir (DiskPressure is about its filesystem). */
  root: string;
  /** Is the runtime ready, is the pod network? Fed by the sync layer. */
  readiness: () => NodeReadiness | Promise<NodeReadiness>;
  logger: Logger;
  /** The conditions the Node has now (after a restart), so transition times carry over. */
  initialConditions?: NodeCondition[];
  /** How often conditions are evaluated (default 10 s, kubelet's nodeStatusUpdateFrequency). */
  checkIntervalMs?: number;
  /** Post at least this often even when nothing changed (default 5 min, nodeStatusReportFrequency). */
  reportFrequencyMs?: number;
  thresholds?: PressureThresholds;
  /** Where pressure comes from (default: /proc and statfs of root). */
  observePressure?: () => Promise<NodePressure>;
  /** Called with kubelet's event reason when a condition changes (NodeReady, NodeNotReady…). */
  onConditionEvent?: (reason: string) => void;
  now?: () => Date;
}

export interface NodeStatusReporter {
  /** Evaluates the conditions now and posts them when they changed or a report is due. */
  sync(): Promise<void>;
  /** The conditions as last posted. */
  conditions(): NodeCondition[] | undefined;
  stop(): Promise<void>;
}

/**
 * Keeps the Node's status current: conditions Ready, MemoryPressure, DiskPressure and PIDPressure,
 * PATCHed (strategic merge) to nodes/<name>/status when something changed or every report
 * period. The Lease is the heartbeat, so an unchanged node writes its status rarely.
 */
export function startNodeStatusReporter(options: NodeStatusReporterOptions): NodeStatusReporter {
  const { client, facts, logger } = options;
  const now = () => options.now?.() ?? new Date();
  const checkIntervalMs = positiveInteger(options.checkIntervalMs ?? 10_000, "checkIntervalMs");
  const reportFrequencyMs = positiveInteger(
    options.reportFrequencyMs ?? 300_000,
    "reportFrequencyMs",
  );
  const abort = new AbortController();
  const observePressure =
    options.observePressure ?? (() => readNodePressure(options.root, options.thresholds));
  let posted = options.initialConditions;
  let postedAtMs: number | undefined;
  let pressure: NodePressure = { memory: false, disk: false, pid: false };
  let chain: Promise<void> = Promise.resolve();

  async function observe(): Promise<ObservedNodeState> {
    let readiness: NodeReadiness;
    try {
      readiness = await options.readiness();
    } catch (err) {
      const message = `readiness check failed: ${(err as Error).message}`;
      readiness = { runtime: { ready: false, message }, network: { ready: true } };
    }
    try {
      pressure = await observePressure();
    } catch (err) {
      // Keep the last known pressure: a failed read says nothing about memory or disk.
      logger.warn("could not read node pressure", { error: (err as Error).message });
    }
    return { readiness, pressure };
  }

  async function syncOnce(): Promise<void> {
    const at = now();
    const update = nextConditions(posted, await observe(), at);
    const due =
      postedAtMs === undefined ||
      at.getTime() - postedAtMs >= reportFrequencyMs ||
      conditionsChanged(posted, update.conditions);
    if (!due || abort.signal.aborted) return;
    const status = { ...factsStatus(facts), conditions: update.conditions };
    try {
      await client.patch<Node>(`${nodePath(facts.nodeName)}/status`, { status }, "strategic", {
        signal: abort.signal,
      });
    } catch (err) {
      if (!abort.signal.aborted) {
        logger.warn("could not update the node status", { error: (err as Error).message });
      }
      return;
    }
    posted = update.conditions;
    postedAtMs = at.getTime();
    for (const reason of update.events) options.onConditionEvent?.(reason);
  }

  const sync = () =>
    (chain = chain.then(syncOnce).catch((err: Error) => {
      logger.error("node status sync failed", { error: err.message });
    }));

  const running = (async () => {
    while (!abort.signal.aborted) {
      await sync();
      await pause(checkIntervalMs, abort.signal);
    }
  })();

  return {
    sync,
    conditions: () => posted,
    stop: async () => {
      abort.abort();
      await running;
      await chain;
    },
  };
}
