import { invalidArgument } from "../../../lib/errors.js";
import type { KubeObject } from "../../resources/kube-object.js";
import { objectAt } from "../../resources/json-access.js";
import { NodeState } from "./node-state.js";
import { podKey, podProfile, shareProfile, type PodProfile } from "./pod-profile.js";

/** What the pods bound to a node request, in the units the scheduler compares. */
export interface ResourceTotals {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  pods: number;
  scalar: Record<string, number>;
}

interface BoundPod {
  nodeName: string;
  profile: PodProfile;
}

/**
 * The scheduler's view of the cluster: nodes and the pods bound to them, kept incrementally so a
 * scheduling decision never re-sums a node. Pods may arrive before their node (or outlive it);
 * they are held and count once the node (re)appears, as kube-scheduler's cache does. Objects are
 * read, never changed, and never re-read: a new version must be a new object, as informers give.
 */
export class ClusterSnapshot {
  private readonly states = new Map<string, NodeState>();
  private readonly listed: NodeState[] = [];
  private readonly bound = new Map<string, BoundPod>();
  private created = 0;
  /** Where the next search starts and which node wins the next tie: scheduling position only,
   * advanced by schedulePod when the caller does not pass its own startIndex. */
  readonly cursor = { nextStartIndex: 0, tieBreak: 0 };

  /** Adds or replaces a Node; an unchanged object or resourceVersion is a no-op. */
  upsertNode(node: KubeObject): void {
    const name = node.metadata?.name;
    if (typeof name !== "string" || name === "") {
      throw invalidArgument("node: metadata.name is required", { field: "metadata.name" });
    }
    let state = this.states.get(name);
    if (state?.node === node) return;
    const version = node.metadata?.resourceVersion;
    if (version && state?.node?.metadata?.resourceVersion === version) return;
    if (!state) this.states.set(name, (state = this.newState(name)));
    const wasListed = state.node !== undefined;
    try {
      state.setNode(node);
    } catch (err) {
      if (!wasListed && state.pods.size === 0) this.states.delete(name);
      throw err;
    }
    if (!wasListed) this.listed.push(state);
  }

  removeNode(name: string): void {
    const state = this.states.get(name);
    if (!state?.node) return;
    state.node = undefined;
    this.listed.splice(this.listed.indexOf(state), 1);
    if (state.pods.size === 0) this.states.delete(name);
  }

  /** Records a pod bound to a node (spec.nodeName); pods not bound, or Succeeded/Failed, hold
   * nothing and are dropped. Re-adding the same pod replaces it. */
  addPod(pod: KubeObject): void {
    const key = podKey(pod);
    const nodeName = objectAt(pod.spec)?.nodeName;
    const phase = objectAt(pod.status)?.phase;
    const existing = this.bound.get(key);
    if (
      typeof nodeName !== "string" ||
      nodeName === "" ||
      phase === "Succeeded" ||
      phase === "Failed"
    ) {
      if (existing) this.detach(key, existing);
      return;
    }
    const version = pod.metadata?.resourceVersion;
    if (
      existing?.nodeName === nodeName &&
      version &&
      existing.profile.resourceVersion === version
    ) {
      return;
    }
    const profile = podProfile(pod);
    if (existing) this.detach(key, existing);
    let state = this.states.get(nodeName);
    if (!state) this.states.set(nodeName, (state = this.newState(nodeName)));
    state.addPod(profile);
    this.bound.set(key, { nodeName, profile });
  }

  removePod(pod: KubeObject): void {
    const key = podKey(pod);
    const existing = this.bound.get(key);
    if (existing) this.detach(key, existing);
  }

  /** Counts the pod on nodeName right away, before its binding is seen; returns the bound copy
   * (the later real one, with the same namespace/name/uid, replaces it). */
  assume(pod: KubeObject, nodeName: string): KubeObject {
    const spec = objectAt(pod.spec) ?? {};
    const boundPod: KubeObject = { ...pod, spec: { ...spec, nodeName } };
    shareProfile(pod, boundPod);
    this.addPod(boundPod);
    return boundPod;
  }

  nodeNames(): string[] {
    return this.listed.map((s) => s.name);
  }

  hasNode(name: string): boolean {
    return this.states.get(name)?.node !== undefined;
  }

  /** Requested totals of the pods bound to nodeName (zeros for a node with none). */
  requested(nodeName: string): ResourceTotals {
    const usage = this.states.get(nodeName)?.usage;
    return {
      cpuMilli: usage?.cpuMilli ?? 0,
      memoryBytes: usage?.memoryBytes ?? 0,
      ephemeralStorageBytes: usage?.ephemeralStorageBytes ?? 0,
      pods: usage?.pods ?? 0,
      scalar: Object.fromEntries(usage?.scalar ?? []),
    };
  }

  /** @internal The nodes a pod can be scheduled on, in stable order. */
  schedulableNodes(): readonly NodeState[] {
    return this.listed;
  }

  private newState(name: string): NodeState {
    return new NodeState(name, this.created++);
  }

  private detach(key: string, existing: BoundPod): void {
    this.bound.delete(key);
    const state = this.states.get(existing.nodeName);
    if (!state) return;
    state.removePod(existing.profile);
    if (!state.node && state.pods.size === 0) this.states.delete(existing.nodeName);
  }
}
