import type { Logger } from "../../../lib/logger.js";
import type { EventRecorder } from "../../kube/event-recorder.js";
import type { Pod } from "../../kube/types.js";
import { LifecycleHooks } from "../hooks/lifecycle-hooks.js";
import { ProbeManager } from "../prober/probe-manager.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import type { RuntimePod } from "../sync/runtime-pod.js";
import type { PodObserverPort } from "../sync/sync-ports.js";

export interface PodProbing {
  probes: ProbeManager;
  hooks: LifecycleHooks;
  /** Feeds the prober each pod's running containers after every sync. */
  observer: PodObserverPort;
}

/**
 * The prober and the lifecycle hooks of this node, with what they need from the pod workers:
 * each pod's IP (the node's for host-network pods) as the runtime last reported it, and the
 * running instances of its containers — only those of the pod's newest sandbox.
 */
export function createPodProbing(options: {
  runtime: Pick<KubeletRuntime, "execSync">;
  events: EventRecorder;
  hostIPs: () => string[];
  /** A probe result changed: sync the pod (PodWorkers.wake), bound after the workers exist. */
  onChange: (uid: string) => void;
  logger: Logger;
}): PodProbing {
  const ips = new Map<string, string>();
  const podIP = (uid: string) => ips.get(uid);
  const recordEvent = options.events.record.bind(options.events);
  const probes = new ProbeManager({
    runtime: options.runtime,
    podIP,
    recordEvent,
    onChange: options.onChange,
    logger: options.logger,
  });
  const hooks = new LifecycleHooks({
    runtime: options.runtime,
    podIP,
    recordEvent,
    logger: options.logger,
  });
  const observer: PodObserverPort = {
    synced(pod: Pod, runtime: RuntimePod) {
      const uid = pod.metadata?.uid ?? "";
      const sandbox = runtime.sandboxes[0];
      const ip = sandbox?.hostNetwork ? options.hostIPs()[0] : runtime.ips[0];
      if (ip) ips.set(uid, ip);
      const running = runtime.containers
        .filter((c) => c.state === "running" && c.sandboxId === sandbox?.id)
        .map((c) => ({ name: c.name, id: c.id, startedAt: c.startedAt }));
      probes.syncPod(pod, running);
    },
    gone(uid: string) {
      ips.delete(uid);
      probes.removePod(uid);
    },
  };
  return { probes, hooks, observer };
}
