// Which resource names the scheduler accounts for beyond cpu, memory and ephemeral-storage:
// kube-scheduler's "scalar" resources — extended (domain-prefixed), hugepages and attachable volumes.
// Unprefixed names it does not know (and "requests.*" quota names) are ignored, as there.

export const cpu = "cpu";
export const memory = "memory";
export const ephemeralStorage = "ephemeral-storage";
export const podsResource = "pods";

export function isScalarResource(name: string): boolean {
  if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) return true;
  return name.includes("/") && !name.startsWith("requests.");
}
