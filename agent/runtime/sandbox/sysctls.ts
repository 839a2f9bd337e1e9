import { invalidArgument } from "../../../lib/errors.js";

export type NamespaceKind = "net" | "ipc" | "uts";

/** Which namespace a sysctl belongs to; only namespaced ones can be set for a pod. */
function namespaceOf(name: string): NamespaceKind | undefined {
  if (name.startsWith("net.")) return "net";
  if (/^kernel\.(shm_rmid_forced|shmmax|shmall|shmmni|msgmax|msgmnb|msgmni|sem)$/.test(name))
    return "ipc";
  if (name.startsWith("fs.mqueue.")) return "ipc";
  if (name === "kernel.hostname" || name === "kernel.domainname") return "uts";
  return undefined;
}

/**
 * Validates a pod's sysctls ("kernel.shm_rmid_forced" or "kernel/shm_rmid_forced") and returns
 * them as /proc/sys paths. A sysctl that is not namespaced, or whose namespace is the host's,
 * would change the node itself: it is refused.
 */
export function podSysctls(
  sysctls: Record<string, string>,
  owned: Set<NamespaceKind>,
): { path: string; value: string }[] {
  return Object.entries(sysctls).map(([raw, value]) => {
    const field = `linux.sysctls[${raw}]`;
    const name = raw.includes("/") ? raw.replace(/\//g, ".") : raw;
    if (!/^[a-z0-9_]+(\.[a-zA-Z0-9_-]+)+$/.test(name)) {
      throw invalidArgument(`${field}: invalid sysctl name`, { field });
    }
    const kind = namespaceOf(name);
    if (!kind) throw invalidArgument(`${field}: not a namespaced sysctl`, { field });
    if (!owned.has(kind)) {
      throw invalidArgument(`${field}: the pod shares the host's ${kind} namespace`, { field });
    }
    if (/[\n\0]/.test(value)) throw invalidArgument(`${field}: invalid value`, { field });
    return { path: name.replace(/\./g, "/"), value };
  });
}
