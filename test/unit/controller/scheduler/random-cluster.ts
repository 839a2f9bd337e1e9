import type { KubeObject } from "../../../../controller/resources/kube-object.js";

// Random clusters and workloads for the property test. Each generated object carries the plain
// numbers it was written from, so the test can judge placements without the scheduler's parsing.

export type Resource = "cpu" | "memory" | "ephemeral-storage" | "example.com/gpu";
export const resourceNames: Resource[] = ["cpu", "memory", "ephemeral-storage", "example.com/gpu"];
export type Amounts = Partial<Record<Resource, number>>;

export interface ModelTaint {
  key: string;
  value: string;
  effect: string;
}

export interface ModelToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface ModelExpression {
  key: string;
  operator: string;
  values?: string[];
}

export interface ModelPort {
  hostPort: number;
  protocol?: string;
  hostIP?: string;
}

export interface ModelNode {
  name: string;
  allocatable: Required<Amounts>;
  pods: number;
  labels: Record<string, string>;
  taints: ModelTaint[];
  unschedulable: boolean;
  object: KubeObject;
}

export interface ModelContainer {
  requests: Amounts;
  limits: Amounts;
  sidecar?: boolean;
}

export interface ModelPod {
  name: string;
  containers: ModelContainer[];
  initContainers: ModelContainer[];
  overhead: Amounts;
  tolerations: ModelToleration[];
  nodeSelector: Record<string, string>;
  /** ORed terms of ANDed expressions; undefined when the pod has no required affinity. */
  requiredTerms?: ModelExpression[][];
  ports: ModelPort[];
  object: KubeObject;
}

/** mulberry32: small, fast and good enough to make reproducible random clusters. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

const zones = ["a", "b", "c"];
const disks = ["ssd", "hdd"];
const taintPool: ModelTaint[] = [
  { key: "dedicated", value: "gpu", effect: "NoSchedule" },
  { key: "dedicated", value: "db", effect: "NoExecute" },
  { key: "spot", value: "", effect: "NoSchedule" },
  { key: "soft", value: "yes", effect: "PreferNoSchedule" },
];

const mib = 1024 * 1024;

function quantity(resource: Resource, amount: number, rng: Random): string {
  if (resource === "cpu")
    return amount % 1000 === 0 && rng.chance(0.5) ? `${amount / 1000}` : `${amount}m`;
  if (resource === "example.com/gpu") return `${amount}`;
  const mebibytes = amount / mib;
  return mebibytes % 1024 === 0 && rng.chance(0.5) ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

const quantities = (amounts: Amounts, rng: Random) =>
  Object.fromEntries(
    Object.entries(amounts).map(([r, v]) => [r, quantity(r as Resource, v as number, rng)]),
  );

export function randomNode(rng: Random, name: string): ModelNode {
  const allocatable = {
    cpu: rng.int(1, 16) * 500,
    memory: rng.int(1, 32) * 256 * mib,
    "ephemeral-storage": rng.int(1, 8) * 1024 * mib,
    "example.com/gpu": rng.chance(0.3) ? rng.int(1, 4) : 0,
  };
  const pods = rng.int(2, 12);
  const labels: Record<string, string> = { "kubernetes.io/hostname": name };
  if (rng.chance(0.8)) labels.zone = rng.pick(zones);
  if (rng.chance(0.7)) labels.disk = rng.pick(disks);
  if (rng.chance(0.6)) labels.tier = String(rng.int(0, 9));
  const taints = taintPool.filter(() => rng.chance(0.15));
  const unschedulable = rng.chance(0.1);
  const list: Record<string, string> = { ...quantities(allocatable, rng), pods: String(pods) };
  if (allocatable["example.com/gpu"] === 0) delete list["example.com/gpu"];
  const object: KubeObject = {
    metadata: { name, labels },
    spec: { taints, ...(unschedulable ? { unschedulable } : {}) },
    status: rng.chance(0.2) ? { capacity: list } : { capacity: list, allocatable: list },
  };
  return { name, allocatable, pods, labels, taints, unschedulable, object };
}

function randomAmounts(rng: Random, scale: number): Amounts {
  const a: Amounts = {};
  if (rng.chance(0.7)) a.cpu = rng.int(0, 8) * 125 * scale;
  if (rng.chance(0.7)) a.memory = rng.int(0, 16) * 64 * mib * scale;
  if (rng.chance(0.2)) a["ephemeral-storage"] = rng.int(1, 8) * 256 * mib;
  if (rng.chance(0.1)) a["example.com/gpu"] = rng.int(1, 2);
  return a;
}

function randomContainer(rng: Random, scale: number): ModelContainer {
  const requests = randomAmounts(rng, scale);
  const limits: Amounts = {};
  // Some resources only have a limit, which then counts as the request.
  for (const r of resourceNames) {
    if (requests[r] === undefined && rng.chance(0.3)) limits[r] = randomAmounts(rng, scale)[r];
    if (requests[r] !== undefined && rng.chance(0.3)) limits[r] = (requests[r] ?? 0) * 2;
  }
  for (const r of resourceNames) if (limits[r] === undefined) delete limits[r];
  return { requests, limits };
}

function randomTolerations(rng: Random): ModelToleration[] {
  const out: ModelToleration[] = [];
  if (rng.chance(0.05)) out.push({ operator: "Exists" });
  for (const t of taintPool) {
    if (!rng.chance(0.2)) continue;
    const variant = rng.int(0, 3);
    if (variant === 0) out.push({ key: t.key, value: t.value, effect: t.effect });
    else if (variant === 1) out.push({ key: t.key, operator: "Exists" });
    else if (variant === 2) out.push({ key: t.key, operator: "Equal", value: t.value });
    else out.push({ key: t.key, value: "wrong", effect: t.effect });
  }
  if (rng.chance(0.05)) out.push({ key: "node.kubernetes.io/unschedulable", operator: "Exists" });
  return out;
}

function randomExpression(rng: Random): ModelExpression {
  switch (rng.int(0, 5)) {
    case 0:
      return {
        key: "zone",
        operator: "In",
        values: zones.filter(() => rng.chance(0.5)).concat("a"),
      };
    case 1:
      return { key: "disk", operator: "NotIn", values: [rng.pick(disks)] };
    case 2:
      return { key: rng.pick(["zone", "disk", "tier"]), operator: "Exists" };
    case 3:
      return { key: rng.pick(["zone", "disk", "tier"]), operator: "DoesNotExist" };
    case 4:
      return { key: "tier", operator: "Gt", values: [String(rng.int(0, 8))] };
    default:
      return { key: "tier", operator: "Lt", values: [String(rng.int(1, 9))] };
  }
}

const portPool: ModelPort[] = [
  { hostPort: 80 },
  { hostPort: 80, protocol: "UDP" },
  { hostPort: 80, hostIP: "10.0.0.1" },
  { hostPort: 80, hostIP: "10.0.0.2" },
  { hostPort: 443, protocol: "TCP", hostIP: "0.0.0.0" },
];

export function randomPod(rng: Random, name: string): ModelPod {
  const scale = rng.chance(0.1) ? 8 : 1;
  const containers = Array.from({ length: rng.int(1, 3) }, () => randomContainer(rng, scale));
  const initContainers = Array.from({ length: rng.chance(0.3) ? rng.int(1, 3) : 0 }, () => ({
    ...randomContainer(rng, scale),
    sidecar: rng.chance(0.4),
  }));
  const overhead: Amounts = rng.chance(0.2) ? { cpu: 100, memory: 32 * mib } : {};
  const tolerations = randomTolerations(rng);
  const nodeSelector: Record<string, string> = {};
  if (rng.chance(0.2)) nodeSelector.zone = rng.pick(zones);
  if (rng.chance(0.1)) nodeSelector.disk = rng.pick(disks);
  const requiredTerms = rng.chance(0.3)
    ? Array.from({ length: rng.int(1, 2) }, () =>
        Array.from({ length: rng.int(1, 2) }, () => randomExpression(rng)),
      )
    : undefined;
  const ports = rng.chance(0.25) ? [rng.pick(portPool)] : [];
  const spec = (c: ModelContainer, i: number, prefix: string, withPorts: boolean) => ({
    name: `${prefix}${i}`,
    image: "busybox",
    resources: { requests: quantities(c.requests, rng), limits: quantities(c.limits, rng) },
    ...(c.sidecar ? { restartPolicy: "Always" } : {}),
    ...(withPorts && i === 0 && ports.length > 0
      ? { ports: ports.map((p) => ({ containerPort: p.hostPort, ...p })) }
      : {}),
  });
  const object: KubeObject = {
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      labels: { app: `app-${rng.int(0, 3)}` },
      ownerReferences: rng.chance(0.6)
        ? [
            {
              apiVersion: "apps/v1",
              kind: "ReplicaSet",
              name: "rs",
              uid: `rs-${rng.int(0, 3)}`,
              controller: true,
            },
          ]
        : [],
    },
    spec: {
      containers: containers.map((c, i) => spec(c, i, "c", true)),
      initContainers: initContainers.map((c, i) => spec(c, i, "i", false)),
      ...(Object.keys(overhead).length > 0 ? { overhead: quantities(overhead, rng) } : {}),
      tolerations,
      nodeSelector,
      ...(requiredTerms
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: requiredTerms.map((t) => ({ matchExpressions: t })),
                },
              },
            },
          }
        : {}),
      priority: rng.pick([0, 0, 100]),
    },
    status: { phase: "Pending" },
  };
  return {
    name,
    containers,
    initContainers,
    overhead,
    tolerations,
    nodeSelector,
    requiredTerms,
    ports,
    object,
  };
}
