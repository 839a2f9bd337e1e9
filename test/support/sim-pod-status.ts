import { kubeTime } from "./sim-node-objects.js";

/** What the simulated kubelets keep of a pod bound to one of their nodes. */
export interface SimPod {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  phase: string;
  podIP?: string;
  deleting: boolean;
  scheduledTransition?: string;
  containers: Array<{ name: string; image: string }>;
  initContainers: Array<{ name: string; image: string }>;
}

interface WirePod {
  metadata?: { uid?: string; namespace?: string; name?: string; deletionTimestamp?: string };
  spec?: {
    nodeName?: string;
    containers?: Array<{ name?: string; image?: string }>;
    initContainers?: Array<{ name?: string; image?: string }>;
  };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Array<{ type?: string; status?: string; lastTransitionTime?: string }>;
  };
}

const containersOf = (list: Array<{ name?: string; image?: string }> | undefined) =>
  (list ?? []).map((c) => ({ name: c.name ?? "", image: c.image ?? "" }));

/** The parts of a pod from the API that the simulation acts on. */
export function simPod(pod: WirePod): SimPod {
  const scheduled = pod.status?.conditions?.find(
    (c) => c.type === "PodScheduled" && c.status === "True",
  );
  return {
    uid: pod.metadata?.uid ?? "",
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    nodeName: pod.spec?.nodeName ?? "",
    phase: pod.status?.phase ?? "Pending",
    podIP: pod.status?.podIP,
    deleting: Boolean(pod.metadata?.deletionTimestamp),
    scheduledTransition: scheduled?.lastTransitionTime,
    containers: containersOf(pod.spec?.containers),
    initContainers: containersOf(pod.spec?.initContainers),
  };
}

/**
 * The strategic-merge patch of pods/<p>/status that makes a pod Running and Ready: init
 * containers completed, every container running since `now`.
 */
export function runningStatusPatch(
  pod: SimPod,
  addresses: { hostIP: string; podIP: string },
  now: Date,
): Record<string, unknown> {
  const at = kubeTime(now);
  const condition = (type: string, since = at) => ({
    type,
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: since,
  });
  const ids = (c: { name: string; image: string }) => ({
    name: c.name,
    image: c.image,
    imageID: `sim://${c.image}`,
    containerID: `sim://${pod.uid}-${c.name}`,
  });
  return {
    status: {
      phase: "Running",
      startTime: at,
      hostIP: addresses.hostIP,
      hostIPs: [{ ip: addresses.hostIP }],
      podIP: addresses.podIP,
      podIPs: [{ ip: addresses.podIP }],
      conditions: [
        condition("PodReadyToStartContainers"),
        condition("Initialized"),
        condition("ContainersReady"),
        condition("Ready"),
        condition("PodScheduled", pod.scheduledTransition ?? at),
      ],
      ...(pod.initContainers.length > 0
        ? {
            initContainerStatuses: pod.initContainers.map((c) => ({
              ...ids(c),
              ready: true,
              started: false,
              restartCount: 0,
              state: {
                terminated: {
                  exitCode: 0,
                  reason: "Completed",
                  startedAt: at,
                  finishedAt: at,
                  containerID: `sim://${pod.uid}-${c.name}`,
                },
              },
            })),
          }
        : {}),
      containerStatuses: pod.containers.map((c) => ({
        ...ids(c),
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: at } },
      })),
    },
  };
}
