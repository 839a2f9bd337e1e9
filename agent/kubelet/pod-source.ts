import type { Logger } from "../../lib/logger.js";
import type { KubeClient } from "../kube/kube-client.js";
import { startReflector, type Reflector, type ReflectorOptions } from "../kube/reflector.js";
import type { Pod } from "../kube/types.js";
import type { PodWorkers } from "./sync/pod-workers.js";

export interface PodSourceOptions {
  client: KubeClient;
  nodeName: string;
  /** Where the pods go: the kubelet's pod workers. */
  workers: Pick<PodWorkers, "update" | "remove" | "syncKnownPods">;
  /** Every pod uid the watch reports (for clean-up of pods that were this node's). */
  onSeen?: (uid: string) => void;
  logger: Logger;
  /** Reflector tuning, for tests. */
  reflector?: Pick<ReflectorOptions<Pod>, "backoff" | "watchTimeoutSeconds" | "pageSize">;
}

/**
 * kubelet's API pod source: a list+watch of the pods bound to this node
 * (spec.nodeName=<node>). Adds and changes go to the pod workers as updates, deletions as
 * removals, and after each full list (the first, and every relist after a watch expired) the
 * workers learn the whole set: pods they have that the API no longer has are cleaned up, and
 * from the first list on, runtime pods no API pod owns are orphans.
 */
export function startPodSource(options: PodSourceOptions): Reflector<Pod> {
  const { workers } = options;
  return startReflector<Pod>({
    ...options.reflector,
    client: options.client,
    path: "/api/v1/pods",
    fieldSelector: `spec.nodeName=${options.nodeName}`,
    logger: options.logger,
    onEvent: (e) => {
      const uid = e.object.metadata?.uid;
      if (uid) options.onSeen?.(uid);
      if (e.type === "delete") workers.remove(e.object);
      else workers.update(e.object);
    },
    onListed: (pods) => workers.syncKnownPods(pods),
  });
}
