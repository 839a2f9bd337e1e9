import {
  resourceNames,
  type ModelExpression,
  type ModelNode,
  type ModelPod,
  type ModelPort,
  type ModelTaint,
  type ModelToleration,
  type Resource,
} from "./random-cluster.js";

// An independent statement of what may run where, written from the Kubernetes documentation
// rather than from the scheduler's code, to judge its placements.

const needs = new WeakMap<ModelPod, Map<Resource, number>>();

/** What the pod needs of one resource: the most it holds at any moment, plus overhead. */
export function need(pod: ModelPod, r: Resource): number {
  let known = needs.get(pod);
  if (!known) needs.set(pod, (known = new Map()));
  let amount = known.get(r);
  if (amount === undefined) known.set(r, (amount = computeNeed(pod, r)));
  return amount;
}

function computeNeed(pod: ModelPod, r: Resource): number {
  const own = (c: {
    requests: Partial<Record<Resource, number>>;
    limits: Partial<Record<Resource, number>>;
  }) => c.requests[r] ?? c.limits[r] ?? 0;
  const sidecars = pod.initContainers.filter((c) => c.sidecar);
  const running = [...pod.containers, ...sidecars].reduce((sum, c) => sum + own(c), 0);
  let starting = 0;
  pod.initContainers.forEach((c, i) => {
    const sidecarsSoFar = pod.initContainers
      .slice(0, c.sidecar ? i + 1 : i)
      .filter((s) => s.sidecar)
      .reduce((sum, s) => sum + own(s), 0);
    starting = Math.max(starting, sidecarsSoFar + (c.sidecar ? 0 : own(c)));
  });
  return Math.max(running, starting) + (pod.overhead[r] ?? 0);
}

function tolerates(tolerations: ModelToleration[], taint: ModelTaint): boolean {
  return tolerations.some((t) => {
    const keyOk = !t.key || t.key === taint.key;
    const effectOk = !t.effect || t.effect === taint.effect;
    const valueOk = t.operator === "Exists" || (t.value ?? "") === taint.value;
    return keyOk && effectOk && valueOk;
  });
}

function expressionHolds(e: ModelExpression, labels: Record<string, string>): boolean {
  const has = e.key in labels;
  const value = labels[e.key];
  if (e.operator === "In") return has && (e.values ?? []).includes(value);
  if (e.operator === "NotIn") return !has || !(e.values ?? []).includes(value);
  if (e.operator === "Exists") return has;
  if (e.operator === "DoesNotExist") return !has;
  const bound = Number((e.values ?? [])[0]);
  if (!has) return false;
  return e.operator === "Gt" ? Number(value) > bound : Number(value) < bound;
}

function portsClash(a: ModelPort, b: ModelPort): boolean {
  if (a.hostPort !== b.hostPort || (a.protocol ?? "TCP") !== (b.protocol ?? "TCP")) return false;
  const ipA = a.hostIP || "0.0.0.0";
  const ipB = b.hostIP || "0.0.0.0";
  return ipA === "0.0.0.0" || ipB === "0.0.0.0" || ipA === ipB;
}

/** Why the pod may not go on the node next to `present`; empty when it may. */
export function objections(pod: ModelPod, node: ModelNode, present: ModelPod[]): string[] {
  const out: string[] = [];
  const cordon = { key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule" };
  if (node.unschedulable && !tolerates(pod.tolerations, cordon)) out.push("cordoned");
  for (const taint of node.taints) {
    if (taint.effect !== "PreferNoSchedule" && !tolerates(pod.tolerations, taint)) {
      out.push(`taint ${taint.key}`);
    }
  }
  for (const [k, v] of Object.entries(pod.nodeSelector)) {
    if (node.labels[k] !== v) out.push(`selector ${k}`);
  }
  if (
    pod.requiredTerms &&
    !pod.requiredTerms.some((t) => t.every((e) => expressionHolds(e, node.labels)))
  ) {
    out.push("affinity");
  }
  for (const p of pod.ports) {
    if (present.some((other) => other.ports.some((q) => portsClash(p, q)))) out.push("port");
  }
  if (present.length + 1 > node.pods) out.push("pods");
  for (const r of resourceNames) {
    const wanted = need(pod, r);
    const held = present.reduce((sum, other) => sum + need(other, r), 0);
    if (wanted > 0 && wanted + held > node.allocatable[r]) out.push(`short of ${r}`);
  }
  return out;
}
