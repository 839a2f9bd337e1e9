import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../lib/logger.js";
import type { PullImageDeps } from "../cri/image/pull-image.js";
import type { ImageStore } from "../images/image-store.js";
import type { EventRecorder } from "../kube/event-recorder.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { CachedConfigSources } from "./adapters/config-sources.js";
import { createPodApiPort } from "./adapters/pod-api-port.js";
import { createSpecPort } from "./adapters/spec-port.js";
import { createPodProbing } from "./adapters/pod-probing.js";
import { createNodePodVolumes, createVolumesPort } from "./adapters/volumes-port.js";
import type { KubeletMetrics } from "./metrics/kubelet-metrics.js";
import type { NodeFacts } from "./node/node-facts.js";
import { inProcessRuntime } from "./runtime/in-process-runtime.js";
import { quantityValue } from "./spec/quantity.js";
import type { ProbeManager } from "./prober/probe-manager.js";
import { parseResolvConf, type DnsSettings } from "./spec/resolv-conf.js";
import { createKubeletSync, type KubeletSync } from "./sync/kubelet-sync.js";
import type { PodVolumes } from "./volumes/pod-volumes.js";

export interface NodePodSyncOptions {
  client: KubeClient;
  facts: NodeFacts;
  /** The node's IPs, primary first: pods' hostIP(s). */
  hostIPs: string[];
  runtime: RuntimeDeps;
  images: ImageStore;
  pull: PullImageDeps;
  events: EventRecorder;
  /** The uid of the pod the API has under a name now (the node's pod watch). */
  currentUid: (namespace: string, name: string) => string | undefined;
  podLogsDir: string;
  clusterDns?: string[];
  clusterDomain?: string;
  /** The node's resolv.conf ("" for none). */
  resolvConf: string;
  relistMs?: number;
  resyncMs?: number;
  /** The kubelet's runtime operation and pod start metrics, when they are kept. */
  kubeletMetrics?: KubeletMetrics;
  logger: Logger;
}

/**
 * The pod workers, PLEG and status manager of this node, wired to the real pieces through the
 * adapters: the agent's runtime in-process, the spec layer, <root>/pods volumes, and the API
 * (status, deletions, events; ConfigMaps and Secrets through a short cache).
 */
export async function createNodePodSync(
  options: NodePodSyncOptions,
): Promise<{ sync: KubeletSync; volumes: PodVolumes; probes: ProbeManager }> {
  const { client, facts, logger, runtime } = options;
  const sources = new CachedConfigSources({ client });
  const volumes = createNodePodVolumes({
    podsRoot: path.join(runtime.paths.root, "pods"),
    lookup: sources,
    allocatable: () => facts.allocatable,
    logger,
  });
  const node = {
    allocatable: facts.allocatable,
    memoryCapacityBytes: quantityValue(facts.capacity.memory ?? "0", "capacity.memory"),
    hostIPs: options.hostIPs,
    cgroupV2: runtime.cgroups.version === 2,
  };
  const kubeletRuntime = inProcessRuntime(
    { runtime, images: options.images, pull: options.pull },
    options.kubeletMetrics?.operations,
  );
  let wake = (_uid: string): void => undefined;
  const probing = createPodProbing({
    runtime: kubeletRuntime,
    events: options.events,
    hostIPs: () => options.hostIPs,
    onChange: (uid) => wake(uid),
    logger,
  });
  const sync = createKubeletSync({
    runtime: kubeletRuntime,
    spec: createSpecPort({
      podFiles: (uid) => volumes.podFiles(uid),
      sources,
      node: () => node,
      podLogsRoot: options.podLogsDir,
      clusterDns: options.clusterDns,
      clusterDomain: options.clusterDomain,
      hostDns: await hostDns(options.resolvConf, logger),
    }),
    volumes: createVolumesPort(volumes),
    api: createPodApiPort({
      client,
      events: options.events,
      logger,
      currentUid: options.currentUid,
    }),
    probes: probing.probes,
    hooks: probing.hooks,
    observer: probing.observer,
    hostIPs: () => options.hostIPs,
    logger,
    relistMs: options.relistMs,
    resyncMs: options.resyncMs,
    podStarts: options.kubeletMetrics?.podStarts,
  });
  wake = (uid) => sync.workers.wake(uid);
  return { sync, volumes, probes: probing.probes };
}

/** The node's resolv.conf, parsed once; undefined when there is none (pods then get 127.0.0.1). */
async function hostDns(file: string, logger: Logger): Promise<DnsSettings | undefined> {
  if (file === "") return undefined;
  try {
    return parseResolvConf(await readFile(file, "utf8"));
  } catch (err) {
    logger.warn("cannot read the node's resolv.conf", { file, error: (err as Error).message });
    return undefined;
  }
}
