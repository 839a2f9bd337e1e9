import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { CriClient } from "./cri-client.js";
import { cgroupChildren } from "./cgroup-leaks.js";

/** A container's init process on the host, from the CRI's verbose ContainerStatus (as crictl inspect). */
export async function containerPid(cri: CriClient, containerId: string): Promise<number> {
  const res = await cri.runtime("ContainerStatus", { container_id: containerId, verbose: true });
  const info = JSON.parse((res.info as Record<string, string>).info ?? "{}") as { pid?: number };
  if (!info.pid) throw new Error(`container ${containerId} has no pid: ${JSON.stringify(info)}`);
  return info.pid;
}

/** A running container as the runtime lists it. */
export interface RunningContainer {
  id: string;
  podUid: string;
  name: string;
}

/** The runtime's running containers, with the pod each belongs to. */
export async function runningContainers(cri: CriClient): Promise<RunningContainer[]> {
  const { containers } = (await cri.runtime("ListContainers", {})) as {
    containers: {
      id: string;
      state: string;
      labels: Record<string, string>;
      metadata: { name: string };
    }[];
  };
  return containers
    .filter((c) => c.state === "CONTAINER_RUNNING")
    .map((c) => ({ id: c.id, podUid: c.labels["io.kubernetes.pod.uid"], name: c.metadata.name }));
}

/** What one node holds for its pods, from the runtime and from the host, to compare with the API. */
export interface NodeResidue {
  /** Pod uids of the runtime's sandboxes (from the kubelet's label). */
  sandboxPodUids: string[];
  sandboxIds: string[];
  /** Every container, with its pod and CRI state. */
  containers: { id: string; podUid: string; state: string }[];
  /** Sandboxes still ready (a stopped one keeps its record, not its netns or IP). */
  readySandboxIds: string[];
  /** Sandboxes' pinned network namespaces under the agent's run dir. */
  netnsPins: string[];
  /** Child cgroups of the agent's cgroup parent, in any hierarchy, by their last path element. */
  podCgroups: string[];
  /** Addresses the test network's IPAM has handed out. */
  allocatedIPs: string[];
}

/**
 * Everything pods leave on the node — sandboxes, netns pins, pod cgroups, pod IPs — so a test can
 * check it matches the pods the API binds there and nothing more.
 */
export async function nodeResidue(
  cri: CriClient,
  options: { base: string; cgroupParent: string; networkName: string },
): Promise<NodeResidue> {
  const { items } = (await cri.runtime("ListPodSandbox", {})) as {
    items: { id: string; state: string; labels: Record<string, string> }[];
  };
  const { containers } = (await cri.runtime("ListContainers", {})) as {
    containers: { id: string; state: string; labels: Record<string, string> }[];
  };
  const sandboxesRun = path.join(options.base, "run", "sandboxes");
  const netnsPins = listDir(sandboxesRun).filter((id) =>
    existsSync(path.join(sandboxesRun, id, "ns", "net")),
  );
  const ipamDir = path.join(options.base, "cni", "networks", options.networkName);
  return {
    sandboxPodUids: items.map((s) => s.labels["io.kubernetes.pod.uid"]).sort(),
    sandboxIds: items.map((s) => s.id).sort(),
    containers: containers.map((c) => ({
      id: c.id,
      podUid: c.labels["io.kubernetes.pod.uid"],
      state: c.state,
    })),
    readySandboxIds: items
      .filter((s) => s.state === "SANDBOX_READY")
      .map((s) => s.id)
      .sort(),
    netnsPins: netnsPins.sort(),
    podCgroups: [
      ...new Set(cgroupChildren(options.cgroupParent).map((c) => path.basename(c))),
    ].sort(),
    allocatedIPs: listDir(ipamDir)
      .filter((name) => /^[0-9.]+$/.test(name))
      .sort(),
  };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
