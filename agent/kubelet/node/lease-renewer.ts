import type { Logger } from "../../../lib/logger.js";
import { Backoff, pause, type BackoffOptions } from "../../kube/backoff.js";
import type { KubeClient } from "../../kube/kube-client.js";
import { isAlreadyExists, isConflict, isNotFound } from "../../kube/kube-errors.js";
import { microTime } from "../../kube/kube-time.js";
import type { Lease, OwnerReference } from "../../kube/types.js";
import { positiveInteger } from "./positive-integer.js";

export const nodeLeaseNamespace = "kube-node-lease";
export const nodeLeasesPath = `/apis/coordination.k8s.io/v1/namespaces/${nodeLeaseNamespace}/leases`;
export const leasePath = (node: string): string => `${nodeLeasesPath}/${encodeURIComponent(node)}`;

export interface LeaseRenewerOptions {
  client: KubeClient;
  nodeName: string;
  /** The Node's uid: the Lease is owned by the Node, so it goes when the Node is deleted. */
  nodeUid?: string;
  /** Default 40 s, kubelet's. */
  leaseDurationSeconds?: number;
  /** Default 10 s, kubelet's (a quarter of the duration). */
  renewIntervalMs?: number;
  logger: Logger;
  /** Delays after failed renewals (default 200 ms doubling, never longer than the interval). */
  backoff?: BackoffOptions;
  /** Called after each successful renewal (for tests and metrics). */
  onRenewed?: (lease: Lease) => void;
  now?: () => Date;
}

export interface LeaseRenewer {
  /** The Lease as last written, if any. */
  current(): Lease | undefined;
  stop(): Promise<void>;
}

const maxUpdateAttempts = 5;

/**
 * The node's heartbeat: kube-node-lease/<node>, created when missing and renewed every interval
 * (renewTime as a MicroTime). An update that lost a race re-reads the Lease and tries again;
 * failures back off and are retried until stop().
 */
export function startLeaseRenewer(options: LeaseRenewerOptions): LeaseRenewer {
  const { client, nodeName, logger } = options;
  const path = leasePath(nodeName);
  const intervalMs = positiveInteger(options.renewIntervalMs ?? 10_000, "renewIntervalMs");
  const durationSeconds = positiveInteger(
    options.leaseDurationSeconds ?? 40,
    "leaseDurationSeconds",
  );
  const backoff = new Backoff({ initialMs: 200, maxMs: intervalMs, ...options.backoff });
  const abort = new AbortController();
  const signal = abort.signal;
  const now = () => options.now?.() ?? new Date();
  let lease: Lease | undefined;

  const desired = (base: Lease | undefined): Lease => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    ...base,
    metadata: {
      ...base?.metadata,
      name: nodeName,
      namespace: nodeLeaseNamespace,
      ownerReferences: owners(base?.metadata?.ownerReferences),
    },
    spec: {
      ...base?.spec,
      holderIdentity: nodeName,
      leaseDurationSeconds: durationSeconds,
      renewTime: microTime(now()),
    },
  });

  // A Node owner with another uid is from a Node deleted since: keeping it would get the Lease
  // garbage-collected.
  const owners = (refs: OwnerReference[] | undefined): OwnerReference[] | undefined => {
    if (!options.nodeUid) return refs;
    const others = (refs ?? []).filter((r) => !(r.apiVersion === "v1" && r.kind === "Node"));
    return [...others, { apiVersion: "v1", kind: "Node", name: nodeName, uid: options.nodeUid }];
  };

  /** The stored Lease, created (already renewed) when there is none. */
  async function ensure(): Promise<{ lease: Lease; fresh: boolean }> {
    try {
      return { lease: await client.get<Lease>(path, { signal }), fresh: false };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      const created = await client.create<Lease>(nodeLeasesPath, desired(undefined), { signal });
      return { lease: created, fresh: true };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return { lease: await client.get<Lease>(path, { signal }), fresh: false };
    }
  }

  async function renew(): Promise<Lease> {
    for (let attempt = 1; ; attempt++) {
      if (!lease) {
        const ensured = await ensure();
        if (ensured.fresh) return ensured.lease;
        lease = ensured.lease;
      }
      try {
        return await client.update<Lease>(path, desired(lease), { signal });
      } catch (err) {
        if (!isConflict(err) || attempt >= maxUpdateAttempts) throw err;
        lease = undefined;
      }
    }
  }

  const running = (async () => {
    while (!signal.aborted) {
      let delayMs = intervalMs;
      try {
        lease = await renew();
        backoff.reset();
        options.onRenewed?.(lease);
      } catch (err) {
        if (signal.aborted) break;
        lease = undefined;
        delayMs = backoff.next();
        logger.warn("could not renew the node lease", {
          node: nodeName,
          error: (err as Error).message,
          retryInMs: delayMs,
        });
      }
      await pause(delayMs, signal);
    }
  })();

  return {
    current: () => lease,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}
