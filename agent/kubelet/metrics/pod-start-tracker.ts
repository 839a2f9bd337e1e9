import { Gauge, Histogram, type Registry } from "prom-client";
import type { Pod, PodStatus } from "../../kube/types.js";
import { podStartupBuckets } from "./buckets.js";

/** What the pod workers, image puller and status manager tell the tracker (all optional hooks). */
export interface PodStartObserver {
  /** A version of the pod from the API (the node's pod watch), first sighting included. */
  podObserved(pod: Pod): void;
  /** An image pull for the pod began / succeeded. */
  pullStarted(uid: string): void;
  pullFinished(uid: string): void;
  /** The kubelet generated this status for the pod (to be written to the API). */
  statusSet(uid: string, status: PodStatus): void;
  /** The pod's worker is done with it. */
  forget(uid: string): void;
}

interface PodStart {
  firstSeen: number;
  firstPullStarted?: number;
  lastPullFinished?: number;
  startRecorded: boolean;
  /** The kubelet generated a status with every container started. */
  runningSet: boolean;
  sliRecorded: boolean;
}

/**
 * kubelet's pod start metrics, tracked only for pods that had not started when this kubelet first
 * saw them (no status.startTime), so pods adopted after a restart are not counted:
 * - kubelet_pod_start_duration_seconds: first seen → the first status with phase Running
 *   (kubelet observes it in syncPod when the phase turns Running);
 * - kubelet_pod_start_total_duration_seconds: creationTimestamp → the watch showing every
 *   container running, once the kubelet had set that status (pod_startup_latency_tracker.go;
 *   kubelet waits for its status write to return, but the watch can bring the write back
 *   before the write's own response, so seeing it on the watch is what counts here);
 * - kubelet_pod_start_sli_duration_seconds: the same minus the span from the pod's first image
 *   pull start to its last pull end; kubelet_first_network_pod_start_sli_duration_seconds: that
 *   value for the first pod not on the host network.
 */
export class PodStartTracker implements PodStartObserver {
  private readonly pods = new Map<string, PodStart>();
  private readonly now: () => number;
  private readonly startDuration: Histogram;
  private readonly sliDuration: Histogram;
  private readonly totalDuration: Histogram;
  private readonly firstNetworkPod: Gauge;
  private firstNetworkPodSeen = false;

  constructor(registry: Registry, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    const histogram = (name: string, help: string) =>
      new Histogram({ name, help, buckets: podStartupBuckets, registers: [registry] });
    this.startDuration = histogram(
      "kubelet_pod_start_duration_seconds",
      "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run",
    );
    this.sliDuration = histogram(
      "kubelet_pod_start_sli_duration_seconds",
      "Duration in seconds to start a pod, excluding time to pull images and run init containers, measured from pod creation timestamp to when all its containers are reported as started and observed via watch",
    );
    this.totalDuration = histogram(
      "kubelet_pod_start_total_duration_seconds",
      "Duration in seconds to start a pod since creation, including time to pull images and run init containers, measured from pod creation timestamp to when all its containers are reported as started and observed via watch",
    );
    this.firstNetworkPod = new Gauge({
      name: "kubelet_first_network_pod_start_sli_duration_seconds",
      help: "Duration in seconds to start the first network pod, excluding time to pull images and run init containers, measured from pod creation timestamp to when all its containers are reported as started and observed via watch",
      registers: [registry],
    });
  }

  podObserved(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      this.pods.delete(uid);
      return;
    }
    const state = this.pods.get(uid);
    if (!state) {
      if (!pod.status?.startTime) this.pods.set(uid, newPodStart(this.now()));
      return;
    }
    if (!state.runningSet || state.sliRecorded) return;
    if (!allContainersStarted(pod.status)) return;
    const created = Date.parse(pod.metadata?.creationTimestamp ?? "");
    if (!Number.isFinite(created)) return;
    const total = Math.max(0, (this.now() - created) / 1000);
    const pulling =
      state.firstPullStarted !== undefined && state.lastPullFinished !== undefined
        ? Math.max(0, state.lastPullFinished - state.firstPullStarted) / 1000
        : 0;
    const sli = Math.max(0, total - pulling);
    this.totalDuration.observe(total);
    this.sliDuration.observe(sli);
    if (!pod.spec?.hostNetwork && !this.firstNetworkPodSeen) {
      this.firstNetworkPod.set(sli);
      this.firstNetworkPodSeen = true;
    }
    state.sliRecorded = true;
  }

  pullStarted(uid: string): void {
    const state = this.pods.get(uid);
    if (state && state.firstPullStarted === undefined) state.firstPullStarted = this.now();
  }

  pullFinished(uid: string): void {
    const state = this.pods.get(uid);
    if (state) state.lastPullFinished = this.now();
  }

  statusSet(uid: string, status: PodStatus): void {
    const state = this.pods.get(uid);
    if (!state) return;
    if (allContainersStarted(status)) state.runningSet = true;
    if (state.startRecorded || status.phase !== "Running") return;
    this.startDuration.observe(Math.max(0, this.now() - state.firstSeen) / 1000);
    state.startRecorded = true;
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }
}

function newPodStart(now: number): PodStart {
  return { firstSeen: now, startRecorded: false, runningSet: false, sliRecorded: false };
}

/** kubelet's hasPodStartedSLO: every container is running with a start time. */
function allContainersStarted(status: PodStatus | undefined): boolean {
  const statuses = status?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((c) => !!c.state?.running?.startedAt);
}
