import { invalidArgument } from "../../../lib/errors.js";
import type { Container, Pod } from "../../kube/types.js";
import { containerLimits, containerRequests } from "./pod-resources.js";
import {
  compareQuantities,
  milliUnits,
  parseQuantity,
  wholeUnits,
  zeroQuantity,
  type Quantity,
} from "./quantity.js";

// Hugepages are never overcommitted, so they always have a limit and are not defaulted.
const defaultedToAllocatable = ["cpu", "memory", "ephemeral-storage"];

/**
 * The value of a resourceFieldRef ("limits.cpu", "requests.memory", "limits.hugepages-2Mi"…) for a
 * container of the pod, as kubelet computes it: a limit the container does not set reads as the
 * node's allocatable amount; the amount is divided by the divisor (default 1) and rounded up — cpu
 * in millicores, everything else in whole units.
 */
export function containerResourceValue(
  ref: { containerName?: string; resource: string; divisor?: string },
  pod: Pod,
  container: Container,
  allocatable: Record<string, string>,
  field = "resourceFieldRef",
): string {
  const fail = (message: string, sub: string) =>
    invalidArgument(`${field}: ${message}`, { field: `${field}.${sub}` });
  let target = container;
  if (ref.containerName) {
    const found = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
      (c) => c.name === ref.containerName,
    );
    if (!found) throw fail(`container ${ref.containerName} not found`, "containerName");
    target = found;
  }
  const [kind, resource] = splitResource(ref.resource);
  if (!kind || !isSupported(resource)) {
    throw fail(`unsupported container resource : ${ref.resource}`, "resource");
  }
  const divisorText = ref.divisor ?? "";
  let divisor = divisorText === "" ? zeroQuantity : parseQuantity(divisorText, `${field}.divisor`);
  if (compareQuantities(divisor, zeroQuantity) === 0) divisor = { numerator: 1n, denominator: 1n };

  const amount =
    kind === "limits"
      ? limitOf(pod, target, resource, allocatable)
      : requestOf(pod, target, resource);
  const cpu = resource === "cpu";
  const units = (q: Quantity) => (cpu ? milliUnits(q) : wholeUnits(q));
  const d = units(divisor);
  if (d <= 0n) throw fail(`divisor ${JSON.stringify(divisorText)} is too small`, "divisor");
  const n = units(amount);
  return String(n % d > 0n ? n / d + 1n : n / d);
}

function splitResource(text: string): ["limits" | "requests" | undefined, string] {
  const dot = text.indexOf(".");
  const kind = text.slice(0, dot);
  return [kind === "limits" || kind === "requests" ? kind : undefined, text.slice(dot + 1)];
}

function isSupported(resource: string): boolean {
  return defaultedToAllocatable.includes(resource) || resource.startsWith("hugepages-");
}

function requestOf(pod: Pod, c: Container, resource: string): Quantity {
  return containerRequests(pod, c).get(resource) ?? zeroQuantity;
}

function limitOf(
  pod: Pod,
  c: Container,
  resource: string,
  allocatable: Record<string, string>,
): Quantity {
  const own = containerLimits(pod, c).get(resource);
  if (own && compareQuantities(own, zeroQuantity) !== 0) return own;
  const node = allocatable[resource];
  if (defaultedToAllocatable.includes(resource) && node !== undefined) {
    return parseQuantity(node, `node allocatable ${resource}`);
  }
  return own ?? zeroQuantity;
}
