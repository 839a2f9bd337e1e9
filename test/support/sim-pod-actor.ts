import type { Logger } from "../../lib/logger.js";
import { answerError, SimClientClosedError, type SimApiClient } from "./sim-api-client.js";
import type { IpSequence } from "./sim-ip-sequence.js";
import { runningStatusPatch, simPod, type SimPod } from "./sim-pod-status.js";
import type { PodWatchHandlers } from "./sim-pod-watch.js";

export interface SimPodCounters {
  statusPatches: number;
  deletes: number;
}

interface NodeSide {
  internalIP: string;
  paused: boolean;
}

const podPath = (pod: SimPod) => `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`;

/**
 * The pod side of the simulated kubelets: keeps the pods bound to their nodes (from the pod
 * watch) and does what a kubelet would once the containers had started or stopped — status
 * Running and Ready, or the final delete of a terminating pod. A paused node is down: its pods
 * are left alone until it resumes.
 */
export class SimPodActor implements PodWatchHandlers {
  private readonly pods = new Map<string, SimPod>();
  private readonly byNode = new Map<string, Set<string>>();
  /** uids with a status patch or delete on its way (or done, until the watch shows it). */
  private readonly starting = new Set<string>();
  private readonly deleting = new Set<string>();
  private stopped = false;

  constructor(
    private readonly nodes: Map<string, NodeSide>,
    private readonly client: SimApiClient,
    private readonly podIps: IpSequence,
    private readonly counters: SimPodCounters,
    private readonly logger: Logger,
  ) {}

  onList(items: unknown[]): void {
    const listed = new Map<string, SimPod>();
    for (const item of items) {
      const pod = simPod(item as Parameters<typeof simPod>[0]);
      if (this.nodes.has(pod.nodeName)) listed.set(pod.uid, pod);
    }
    for (const uid of [...this.pods.keys()]) if (!listed.has(uid)) this.forget(uid);
    // Before any pod is started: addresses of pods from an earlier run are not handed out again.
    for (const pod of listed.values()) if (pod.podIP) this.podIps.reserve(pod.podIP);
    for (const pod of listed.values()) this.track(pod);
  }

  onEvent(type: "ADDED" | "MODIFIED" | "DELETED", item: unknown): void {
    const pod = simPod(item as Parameters<typeof simPod>[0]);
    if (type === "DELETED") this.forget(pod.uid);
    else if (this.nodes.has(pod.nodeName)) this.track(pod);
  }

  /** "namespace/name" of every pod bound to `node` that still exists. */
  podsOn(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])]
      .map((uid) => this.pods.get(uid)!)
      .map((p) => `${p.namespace}/${p.name}`)
      .sort();
  }

  /** A resumed node catches up with what happened to its pods while it was down. */
  actOnNode(node: string): void {
    for (const uid of this.byNode.get(node) ?? []) this.act(this.pods.get(uid)!);
  }

  stop(): void {
    this.stopped = true;
  }

  private track(pod: SimPod): void {
    if (pod.podIP && !this.pods.has(pod.uid)) this.podIps.reserve(pod.podIP);
    this.pods.set(pod.uid, pod);
    let uids = this.byNode.get(pod.nodeName);
    if (!uids) this.byNode.set(pod.nodeName, (uids = new Set()));
    uids.add(pod.uid);
    this.act(pod);
  }

  private forget(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod) return;
    this.pods.delete(uid);
    this.byNode.get(pod.nodeName)?.delete(uid);
    this.starting.delete(uid);
    this.deleting.delete(uid);
  }

  private act(pod: SimPod): void {
    if (this.stopped || this.nodes.get(pod.nodeName)?.paused !== false) return;
    if (pod.deleting) {
      if (!this.deleting.has(pod.uid)) void this.finalDelete(pod);
    } else if (pod.phase !== "Running" && pod.phase !== "Succeeded" && pod.phase !== "Failed") {
      if (!this.starting.has(pod.uid)) void this.start(pod);
    }
  }

  private async start(pod: SimPod): Promise<void> {
    this.starting.add(pod.uid);
    const node = this.nodes.get(pod.nodeName)!;
    const patch = runningStatusPatch(
      pod,
      { hostIP: node.internalIP, podIP: this.podIps.take() },
      new Date(),
    );
    await this.send(pod, "start", async () => {
      const answer = await this.client.request("PATCH", `${podPath(pod)}/status`, patch, {
        contentType: "application/strategic-merge-patch+json",
      });
      if (answer.status === 200) this.counters.statusPatches++;
      else if (answer.status !== 404)
        throw answerError(`start pod ${pod.namespace}/${pod.name}`, answer);
    });
  }

  /** The kubelet's last word on a terminating pod: delete it now, this very pod (uid) only. */
  private async finalDelete(pod: SimPod): Promise<void> {
    this.deleting.add(pod.uid);
    await this.send(pod, "delete", async () => {
      const answer = await this.client.request("DELETE", podPath(pod), {
        apiVersion: "v1",
        kind: "DeleteOptions",
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.uid },
      });
      if (answer.status === 200) this.counters.deletes++;
      // 404: gone already; 409: the name now belongs to a newer pod.
      else if (answer.status !== 404 && answer.status !== 409) {
        throw answerError(`delete pod ${pod.namespace}/${pod.name}`, answer);
      }
    });
  }

  /** A failed action is forgotten, so the pod's next watch event (or a resume) tries again. */
  private async send(pod: SimPod, what: "start" | "delete", action: () => Promise<void>) {
    try {
      await action();
    } catch (err) {
      (what === "start" ? this.starting : this.deleting).delete(pod.uid);
      if (this.stopped || err instanceof SimClientClosedError) return;
      this.logger.warn(`simulated pod ${what} failed`, {
        pod: `${pod.namespace}/${pod.name}`,
        error: (err as Error).message,
      });
    }
  }
}
