import { isObject, objectAt, objectsAt, type JsonObject } from "../../resources/json-access.js";
import { milliValue, wholeValue } from "./quantities.js";
import { cpu, ephemeralStorage, isScalarResource, memory } from "./resource-names.js";

/** What a pod asks a node for, in the units kube-scheduler compares. */
export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  scalar: Map<string, number>;
  /** cpu and memory with kube-scheduler's stand-ins (100m, 200Mi) for containers that set none:
   * what least-allocated scoring counts, so pods without requests still spread. */
  nonZeroCpuMilli: number;
  nonZeroMemoryBytes: number;
}

export const defaultCpuMilli = 100;
export const defaultMemoryBytes = 200 * 1024 * 1024;

interface Vector {
  cpu: number;
  memory: number;
  ephemeral: number;
  nonZeroCpu: number;
  nonZeroMemory: number;
  scalar: Map<string, number>;
}

const emptyVector = (): Vector => ({
  cpu: 0,
  memory: 0,
  ephemeral: 0,
  nonZeroCpu: 0,
  nonZeroMemory: 0,
  scalar: new Map(),
});

/**
 * The pod's effective requests, as resourcehelper.PodRequests computes them: containers run
 * together (sum), init containers one at a time (max), sidecars (init containers with
 * restartPolicy Always) keep running so they add to both, then spec.overhead on top.
 */
export function podRequests(spec: JsonObject): PodRequests {
  const total = emptyVector();
  objectsAt(spec.containers).forEach((c, i) =>
    addInto(total, containerVector(c, `spec.containers[${i}]`)),
  );
  const sidecars = emptyVector();
  const initPeak = emptyVector();
  objectsAt(spec.initContainers).forEach((c, i) => {
    const own = containerVector(c, `spec.initContainers[${i}]`);
    if (c.restartPolicy === "Always") {
      addInto(total, own);
      addInto(sidecars, own);
    } else {
      addInto(own, sidecars);
      maxInto(initPeak, own);
    }
  });
  maxInto(total, initPeak);
  const overhead = objectAt(spec.overhead);
  if (overhead) addInto(total, listVector(overhead, "spec.overhead", false));
  return {
    cpuMilli: total.cpu,
    memoryBytes: total.memory,
    ephemeralStorageBytes: total.ephemeral,
    scalar: total.scalar,
    nonZeroCpuMilli: total.nonZeroCpu,
    nonZeroMemoryBytes: total.nonZeroMemory,
  };
}

// A container's requests, each missing one taken from its limit as API defaulting does.
function containerVector(container: JsonObject, path: string): Vector {
  const resources = objectAt(container.resources) ?? {};
  const requests = objectAt(resources.requests) ?? {};
  const limits = objectAt(resources.limits) ?? {};
  const merged: JsonObject = { ...limits, ...requests };
  const sources = new Map<string, string>();
  for (const name of Object.keys(merged)) {
    sources.set(name, `${path}.resources.${name in requests ? "requests" : "limits"}`);
  }
  return listVector(merged, sources, true);
}

function listVector(list: JsonObject, paths: string | Map<string, string>, withDefaults: boolean) {
  const v = emptyVector();
  for (const [name, raw] of Object.entries(list)) {
    if (raw === undefined || raw === null || isObject(raw)) continue;
    const field = `${typeof paths === "string" ? paths : paths.get(name)}.${name}`;
    if (name === cpu) v.cpu = milliValue(raw, field);
    else if (name === memory) v.memory = wholeValue(raw, field);
    else if (name === ephemeralStorage) v.ephemeral = wholeValue(raw, field);
    else if (isScalarResource(name)) v.scalar.set(name, wholeValue(raw, field));
  }
  v.nonZeroCpu = withDefaults && !(cpu in list) ? defaultCpuMilli : v.cpu;
  v.nonZeroMemory = withDefaults && !(memory in list) ? defaultMemoryBytes : v.memory;
  return v;
}

function addInto(into: Vector, v: Vector): void {
  into.cpu += v.cpu;
  into.memory += v.memory;
  into.ephemeral += v.ephemeral;
  into.nonZeroCpu += v.nonZeroCpu;
  into.nonZeroMemory += v.nonZeroMemory;
  for (const [name, amount] of v.scalar)
    into.scalar.set(name, (into.scalar.get(name) ?? 0) + amount);
}

function maxInto(into: Vector, v: Vector): void {
  into.cpu = Math.max(into.cpu, v.cpu);
  into.memory = Math.max(into.memory, v.memory);
  into.ephemeral = Math.max(into.ephemeral, v.ephemeral);
  into.nonZeroCpu = Math.max(into.nonZeroCpu, v.nonZeroCpu);
  into.nonZeroMemory = Math.max(into.nonZeroMemory, v.nonZeroMemory);
  for (const [name, amount] of v.scalar) {
    into.scalar.set(name, Math.max(into.scalar.get(name) ?? 0, amount));
  }
}
