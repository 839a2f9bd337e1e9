import type { Logger } from "../../lib/logger.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { Reflector } from "../kube/reflector.js";
import type { Pod } from "../kube/types.js";
import { removeOrphanedPodFiles } from "./housekeeping.js";
import { startPodSource } from "./pod-source.js";
import type { KubeletSync } from "./sync/kubelet-sync.js";
import type { PodVolumes } from "./volumes/pod-volumes.js";

export interface PodSyncingOptions {
  client: KubeClient;
  nodeName: string;
  sync: KubeletSync;
  volumes: PodVolumes;
  podLogsDir: string;
  /** How often orphaned pod dirs and logs are looked for (default 60 s). */
  housekeepingMs?: number;
  logger: Logger;
}

export interface PodSyncing {
  /** True once the first pod list was applied; false when stopped before, or it failed. */
  synced: Promise<boolean>;
  /** The node's pods as the API has them (undefined until the watch started). */
  pods(): Reflector<Pod> | undefined;
  /** Why pod syncing could not start, if it could not. */
  failure(): Error | undefined;
  /** Stops the watch and the housekeeping (the workers and PLEG are the sync's to stop). */
  stop(): Promise<void>;
}

/**
 * Starts syncing the node's pods, in the order adoption needs: the runtime is relisted first
 * (retried until it answers), then the API's pods are listed and handed to the workers — so
 * the containers of pods the API still binds here are found and kept, and from then on the PLEG
 * removes runtime pods no API pod owns. Then the periodic relist and the housekeeping start.
 */
export function startPodSyncing(options: PodSyncingOptions): PodSyncing {
  const { sync, logger } = options;
  let stopped = false;
  let reflector: Reflector<Pod> | undefined;
  let failure: Error | undefined;
  let housekeeping: NodeJS.Timeout | undefined;
  const seen = new Set<string>();

  const relisted = () =>
    sync.pleg.relist().then(
      () => true,
      async (err: Error) => {
        logger.warn("runtime relist failed; retrying", { error: err.message });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return false;
      },
    );
  const cleanUpFiles = async () => {
    for (const pod of sync.pleg.runtimePods()) seen.add(pod.uid);
    const removed = await removeOrphanedPodFiles({
      inUse: (uid) => sync.workers.has(uid) || sync.pleg.pod(uid) !== undefined,
      wasOurs: (uid) => seen.has(uid),
      podDirs: () => options.volumes.listPodDirs(),
      removePodDir: (uid) => options.volumes.tearDown(uid),
      podLogsRoot: options.podLogsDir,
      logger,
    });
    for (const uid of removed) seen.delete(uid);
  };
  const scheduleHousekeeping = () => {
    housekeeping = setTimeout(() => {
      cleanUpFiles()
        .catch((err: Error) => logger.warn("housekeeping failed", { error: err.message }))
        .finally(() => !stopped && scheduleHousekeeping());
    }, options.housekeepingMs ?? 60_000);
  };

  const synced = (async (): Promise<boolean> => {
    while (!(await relisted())) if (stopped) return false;
    if (stopped) return false;
    reflector = startPodSource({
      client: options.client,
      nodeName: options.nodeName,
      workers: sync.workers,
      onSeen: (uid) => seen.add(uid),
      logger,
    });
    if (!(await reflector.synced) || stopped) return false;
    const pods = new Set(reflector.list().map((p) => p.metadata?.uid));
    const running = sync.pleg.runtimePods();
    const adopted = running.filter((p) => pods.has(p.uid)).length;
    logger.info("pods synced", {
      node: options.nodeName,
      pods: pods.size,
      adopted,
      orphaned: running.length - adopted,
    });
    sync.start();
    scheduleHousekeeping();
    return true;
  })().catch((err: Error) => {
    failure = err;
    logger.error("the kubelet could not start syncing pods", { error: err.message });
    return false;
  });

  return {
    synced,
    pods: () => reflector,
    failure: () => failure,
    async stop() {
      stopped = true;
      await reflector?.stop();
      await synced;
      clearTimeout(housekeeping);
    },
  };
}
