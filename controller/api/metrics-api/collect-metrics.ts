import type { KubeObject } from "../../resources/kube-object.js";
import { objectAt, objectsAt, textAt } from "../../resources/json-access.js";
import { usageBetween } from "./metric-point.js";
import { nodeMetricsObject, podMetricsObject, type ContainerUsage } from "./metrics-objects.js";
import { podKey } from "./node-sample.js";
import type { NodeSampleCache, SamplePair } from "./sample-cache.js";

/** True when the node's Ready condition is True: only those nodes' agents are scraped. */
export function nodeReady(node: KubeObject): boolean {
  const conditions = objectsAt(objectAt(node.status)?.conditions);
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** NodeMetrics of the Ready nodes among `nodes` whose agents answered, by name. */
export async function collectNodeMetrics(
  nodes: KubeObject[],
  cache: NodeSampleCache,
  now: Date,
): Promise<KubeObject[]> {
  const ready = nodes.filter(nodeReady);
  const pairs = await Promise.all(ready.map((node) => cache.pair(node)));
  const items: KubeObject[] = [];
  ready.forEach((node, i) => {
    const pair = pairs[i];
    const usage = pair && usageBetween(pair.prev.node, pair.last.node);
    if (usage) items.push(nodeMetricsObject(node, usage, now));
  });
  return items.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

/**
 * PodMetrics of the Running pods among `pods`, from the agents of their Ready nodes (each node
 * scraped once); a pod whose node did not answer, or whose containers are not all in both
 * scrapes yet, has none. Sorted by namespace, then name.
 */
export async function collectPodMetrics(
  pods: KubeObject[],
  nodes: KubeObject[],
  cache: NodeSampleCache,
  now: Date,
): Promise<KubeObject[]> {
  const running = pods.filter((p) => textAt(objectAt(p.status)?.phase) === "Running");
  const nodeByName = new Map(nodes.filter(nodeReady).map((n) => [nameOf(n), n]));
  const wanted = new Set(running.map(nodeNameOf).filter((n) => nodeByName.has(n)));
  const pairs = new Map<string, SamplePair | undefined>();
  await Promise.all(
    [...wanted].map(async (name) => pairs.set(name, await cache.pair(nodeByName.get(name)!))),
  );
  const items: KubeObject[] = [];
  for (const pod of running) {
    const pair = pairs.get(nodeNameOf(pod));
    const containers = pair && containerUsage(pod, pair);
    if (containers && containers.length > 0) items.push(podMetricsObject(pod, containers, now));
  }
  return items.sort(
    (a, b) =>
      textAt(a.metadata?.namespace).localeCompare(textAt(b.metadata?.namespace)) ||
      nameOf(a).localeCompare(nameOf(b)),
  );
}

/**
 * Each container's usage between the two scrapes, in the pod spec's order. Undefined until every
 * container of the later scrape is in the earlier one too (metrics-server's rule), or when the
 * scraped pod is another incarnation of the name (a different uid).
 */
function containerUsage(pod: KubeObject, pair: SamplePair): ContainerUsage[] | undefined {
  const key = podKey(textAt(pod.metadata?.namespace), nameOf(pod));
  const last = pair.last.pods.get(key);
  const prev = pair.prev.pods.get(key);
  const uid = textAt(pod.metadata?.uid);
  if (!last || !prev || (uid && last.uid && last.uid !== uid) || last.uid !== prev.uid) {
    return undefined;
  }
  const order = objectsAt(objectAt(pod.spec)?.containers).map((c) => textAt(c.name));
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const names = [...last.containers.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: ContainerUsage[] = [];
  for (const name of names) {
    const before = prev.containers.get(name);
    if (!before) return undefined;
    const usage = usageBetween(before, last.containers.get(name)!);
    if (usage) out.push({ name, usage });
  }
  return out;
}

const nameOf = (obj: KubeObject) => textAt(obj.metadata?.name);
const nodeNameOf = (pod: KubeObject) => textAt(objectAt(pod.spec)?.nodeName);
