import type { KubeObject } from "../resources/kube-object.js";
import type { NoExecuteMode } from "./node-taints.js";

export type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";

/** Kubernetes' --unhealthy-zone-threshold: this share of not-Ready nodes (and over 2) is a partial disruption. */
export const unhealthyZoneThreshold = 0.55;
const excludeDisruptionLabel = "node.kubernetes.io/exclude-disruption";

/** The node's failure domain: region and zone labels (GA or beta), "" when it has none. */
export function zoneOf(node: KubeObject): string {
  const labels = node.metadata?.labels ?? {};
  const region =
    labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"];
  const zone =
    labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"];
  return region || zone ? `${region ?? ""}:\u0000:${zone ?? ""}` : "";
}

/** Nodes labelled node.kubernetes.io/exclude-disruption do not count toward their zone's state. */
export function countsForDisruption(node: KubeObject): boolean {
  return (node.metadata?.labels ?? {})[excludeDisruptionLabel] === undefined;
}

/** One zone's state from whether each of its nodes is Ready (ComputeZoneState). */
export function zoneState(readiness: boolean[]): ZoneState {
  const ready = readiness.filter(Boolean).length;
  const notReady = readiness.length - ready;
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / readiness.length >= unhealthyZoneThreshold)
    return "PartialDisruption";
  return "Normal";
}

export interface DisruptionView {
  /** Every zone with counted nodes is fully disrupted. */
  allFullyDisrupted: boolean;
  states: Map<string, ZoneState>;
  /** How NoExecute taints may change in a zone (zones not listed: "normal", or "suppressed"). */
  modeOf(zone: string): NoExecuteMode;
}

/**
 * Zone states from the nodes' readiness, and what they allow: when every zone is fully
 * disrupted the controller stops evicting (the fault is more likely its own connectivity); a
 * partly disrupted zone gets no new NoExecute taints. A single fully disrupted zone among
 * healthy ones is evicted as usual: its nodes really are gone.
 */
export function disruptionView(nodes: Array<{ zone: string; ready: boolean }>): DisruptionView {
  const byZone = new Map<string, boolean[]>();
  for (const n of nodes) {
    const list = byZone.get(n.zone);
    if (list) list.push(n.ready);
    else byZone.set(n.zone, [n.ready]);
  }
  const states = new Map<string, ZoneState>();
  for (const [zone, readiness] of byZone) states.set(zone, zoneState(readiness));
  const allFullyDisrupted =
    states.size > 0 && [...states.values()].every((s) => s === "FullDisruption");
  return {
    allFullyDisrupted,
    states,
    modeOf: (zone) =>
      allFullyDisrupted
        ? "suppressed"
        : states.get(zone) === "PartialDisruption"
          ? "paused"
          : "normal",
  };
}
