import type { JoinedNamespaces } from "./spec-input.js";

type Owner = "network" | "ipc" | "uts";

/** The namespace a sysctl belongs to, if it is namespaced (the kubelet's list of safe and unsafe ones). */
function ownerOf(name: string): Owner | undefined {
  if (name.startsWith("net.")) return "network";
  if (name.startsWith("fs.mqueue.")) return "ipc";
  if (/^kernel\.(shm_rmid_forced|shmmax|shmall|shmmni|msgmax|msgmnb|msgmni|sem)$/.test(name))
    return "ipc";
  if (name === "kernel.hostname" || name === "kernel.domainname") return "uts";
  return undefined;
}

/** "net/ipv4/conf/eth0.1/forwarding" → "net.ipv4.conf.eth0/1.forwarding", as the kubelet converts them. */
export function dottedSysctl(name: string): string {
  const firstSep = name.search(/[./]/);
  if (firstSep < 0 || name[firstSep] === ".") return name;
  return name.replace(/[./]/g, (c) => (c === "/" ? "." : "/"));
}

/**
 * linux.sysctl for a container: the pod's sysctls that belong to a namespace the container joins
 * (the pod's). The sandbox already wrote them into those namespaces and refused the rest; runc
 * writing them again is idempotent and matches what containerd's pause container carries. Left
 * out, because runc 1.1 would refuse them or write the wrong file: ones of a namespace shared
 * with the host, kernel.hostname (the spec's hostname field sets it), and names with a "." inside
 * a component such as an interface "eth0.1" (runc 1.1 turns every "." into "/").
 */
export function containerSysctls(
  sysctls: Record<string, string> | undefined,
  joined: JoinedNamespaces,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [raw, value] of Object.entries(sysctls ?? {})) {
    const name = dottedSysctl(raw);
    const owner = ownerOf(name);
    const expressible = !name.includes("/") && !name.split(".").includes("");
    if (
      owner &&
      joined[owner] &&
      expressible &&
      name !== "kernel.hostname" &&
      !/[\n\0]/.test(value)
    ) {
      out[name] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
