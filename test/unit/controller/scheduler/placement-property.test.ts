import { expect } from "chai";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { ClusterSnapshot, schedulePod } from "../../../../controller/scheduler/algorithm/index.js";
import { need, objections } from "./placement-rules.js";
import {
  Random,
  randomNode,
  randomPod,
  resourceNames,
  type ModelNode,
  type ModelPod,
} from "./random-cluster.js";

const trials = 300;

interface Placed {
  pod: ModelPod;
  bound: KubeObject;
}

// Plain checks: chai's expect is too slow to call a million times.
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) expect.fail(`${what}: got ${String(actual)}, want ${String(expected)}`);
}

function checkTotals(snapshot: ClusterSnapshot, nodes: ModelNode[], placed: Map<string, Placed[]>) {
  for (const node of nodes) {
    const present = (placed.get(node.name) ?? []).map((p) => p.pod);
    const totals = snapshot.requested(node.name);
    const sum = (r: (typeof resourceNames)[number]) => present.reduce((s, p) => s + need(p, r), 0);
    same(totals.pods, present.length, `${node.name} pods`);
    same(totals.cpuMilli, sum("cpu"), `${node.name} cpu`);
    same(totals.memoryBytes, sum("memory"), `${node.name} memory`);
    same(totals.ephemeralStorageBytes, sum("ephemeral-storage"), `${node.name} storage`);
    same(totals.scalar["example.com/gpu"] ?? 0, sum("example.com/gpu"), `${node.name} gpu`);
    if (present.length > node.pods) expect.fail(`${node.name} holds more pods than allowed`);
    for (const r of resourceNames) {
      if (sum(r) > node.allocatable[r]) expect.fail(`${node.name} over-committed on ${r}`);
    }
  }
}

function runTrial(seed: number): { placed: number; refused: number } {
  const rng = new Random(seed);
  const large = seed % 60 === 0;
  const nodes = Array.from({ length: large ? rng.int(120, 200) : rng.int(1, 10) }, (_, i) =>
    randomNode(rng, `n${i}`),
  );
  const snapshot = new ClusterSnapshot();
  for (const n of nodes) snapshot.upsertNode(n.object);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const placed = new Map<string, Placed[]>();
  let placedCount = 0;
  let refused = 0;
  const podCount = large ? 400 : rng.int(5, 40);
  for (let i = 0; i < podCount; i++) {
    const pod = randomPod(rng, `s${seed}-p${i}`);
    const result = schedulePod(pod.object, snapshot);
    if ("node" in result) {
      const node = byName.get(result.node);
      if (!node) return expect.fail(`placed on unknown node ${result.node}`);
      const present = (placed.get(node.name) ?? []).map((p) => p.pod);
      const against = objections(pod, node, present);
      if (against.length > 0) {
        expect.fail(
          `seed ${seed}: ${pod.name} placed on ${node.name} despite ${against.join(", ")}`,
        );
      }
      const bound = snapshot.assume(pod.object, node.name);
      placed.set(node.name, [...(placed.get(node.name) ?? []), { pod, bound }]);
      placedCount++;
    } else {
      refused++;
      if (!result.message.startsWith(`0/${nodes.length} nodes are available: `)) {
        expect.fail(`seed ${seed}: unexpected message ${result.message}`);
      }
      for (const node of nodes) {
        const present = (placed.get(node.name) ?? []).map((p) => p.pod);
        if (objections(pod, node, present).length === 0) {
          expect.fail(
            `seed ${seed}: ${pod.name} refused (${result.message}) but fits ${node.name}`,
          );
        }
      }
    }
    if (rng.chance(0.15)) finishOne(rng, snapshot, placed);
    if (!large || i % 25 === 0) checkTotals(snapshot, nodes, placed);
  }
  checkTotals(snapshot, nodes, placed);
  return { placed: placedCount, refused };
}

// A placed pod goes away: deleted, or finished (a terminal pod holds nothing).
function finishOne(rng: Random, snapshot: ClusterSnapshot, placed: Map<string, Placed[]>) {
  const nodeNames = [...placed.keys()].filter((n) => (placed.get(n) ?? []).length > 0);
  if (nodeNames.length === 0) return;
  const nodeName = rng.pick(nodeNames);
  const list = placed.get(nodeName) ?? [];
  const victim = list.splice(rng.int(0, list.length - 1), 1)[0];
  if (rng.chance(0.5)) snapshot.removePod(victim.bound);
  else snapshot.addPod({ ...victim.bound, status: { phase: rng.pick(["Succeeded", "Failed"]) } });
}

describe("controller/scheduler placement properties", () => {
  it(`never over-commits, honours every rule and refuses only pods that fit nowhere (${trials} random clusters)`, function () {
    this.timeout(60_000);
    let placed = 0;
    let refused = 0;
    for (let seed = 1; seed <= trials; seed++) {
      const r = runTrial(seed);
      placed += r.placed;
      refused += r.refused;
    }
    // Both outcomes must be exercised for the property to mean anything.
    expect(placed).to.be.above(1000);
    expect(refused).to.be.above(300);
  });
});
