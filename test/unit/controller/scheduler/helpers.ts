import { expect } from "chai";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import {
  ClusterSnapshot,
  schedulePod,
  type ScheduleResult,
} from "../../../../controller/scheduler/algorithm/index.js";

export function snapshotOf(nodes: KubeObject[], pods: KubeObject[] = []): ClusterSnapshot {
  const s = new ClusterSnapshot();
  for (const n of nodes) s.upsertNode(n);
  for (const p of pods) s.addPod(p);
  return s;
}

/** The node the pod goes to; fails the test when it is unschedulable. */
export function placedOn(pod: KubeObject, s: ClusterSnapshot): string {
  const r = schedulePod(pod, s);
  if ("unschedulable" in r) expect.fail(`expected a node, got: ${r.message}`);
  return r.node;
}

export function unschedulable(
  pod: KubeObject,
  s: ClusterSnapshot,
): Extract<ScheduleResult, { unschedulable: true }> {
  const r = schedulePod(pod, s);
  if (!("unschedulable" in r)) return expect.fail(`expected unschedulable, placed on ${r.node}`);
  return r;
}

/** Places each pod in turn (assuming it), returning how many landed on each node. */
export function placeAll(pods: KubeObject[], s: ClusterSnapshot): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pod of pods) {
    const node = placedOn(pod, s);
    s.assume(pod, node);
    counts[node] = (counts[node] ?? 0) + 1;
  }
  return counts;
}
