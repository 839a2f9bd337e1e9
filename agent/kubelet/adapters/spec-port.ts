import { promises as fs } from "node:fs";
import type { Pod } from "../../kube/types.js";
import { containerConfig, type NodeFacts as SpecNodeFacts } from "../spec/container-config.js";
import type { ConfigSources } from "../spec/container-env.js";
import { containerHash } from "../spec/container-hash.js";
import { effectivePullPolicy } from "../spec/image-pull-policy.js";
import { podQosClass } from "../spec/qos.js";
import type { DnsSettings } from "../spec/resolv-conf.js";
import { containerIdentity, sandboxIdentity } from "../spec/runtime-identity.js";
import { podSandboxConfig } from "../spec/sandbox-config.js";
import type { SpecPort } from "../sync/sync-ports.js";
import type { PodFiles } from "../volumes/pod-paths.js";
import { newTerminationLog, resolveSubPaths, writeEtcHosts } from "./container-host-files.js";

export interface SpecPortOptions {
  /** The on-disk layout of a pod (PodVolumes.podFiles). */
  podFiles(uid: string): PodFiles;
  /** Where the pods' ConfigMaps and Secrets are read from, for env. */
  sources: ConfigSources;
  /** What the node knows about itself (allocatable, memory, IPs), read at each container start. */
  node(): SpecNodeFacts;
  /** kubelet's pod logs root (/var/log/pods). */
  podLogsRoot: string;
  clusterDns?: string[];
  clusterDomain?: string;
  /** The node's resolv.conf, parsed once at start (undefined: none). */
  hostDns?: DnsSettings;
  /** The node's /etc/hosts, for host-network pods (default: read /etc/hosts). */
  nodeHosts?: () => Promise<string>;
}

/**
 * The sync layer's SpecPort over agent/kubelet/spec: sandbox and container configs with the pod's
 * volumes, its managed /etc/hosts, a termination-message file per container instance and subPaths
 * created safely; labels read back with the spec layer's own readers, so the hash a container
 * carries is the hash the same spec computes (adoption after a restart depends on it).
 */
export function createSpecPort(options: SpecPortOptions): SpecPort {
  const nodeHosts = options.nodeHosts ?? (() => fs.readFile("/etc/hosts", "utf8"));
  return {
    async sandboxConfig(pod, attempt) {
      const node = options.node();
      return podSandboxConfig(pod, {
        attempt,
        podLogsRoot: options.podLogsRoot,
        clusterDns: options.clusterDns,
        clusterDomain: options.clusterDomain,
        hostDns: options.hostDns,
        nodeIPs: node.hostIPs,
        cgroupV2: node.cgroupV2,
      });
    },

    async containerConfig(pod, container, input) {
      const node = options.node();
      const files = options.podFiles(uidOf(pod));
      const ips = pod.spec?.hostNetwork === true ? node.hostIPs : input.podIPs;
      const terminationLog = newTerminationLog(files, container);
      const made = await containerConfig({
        pod,
        container,
        restartCount: input.restartCount,
        imageRef: input.imageRef,
        imageUser: input.imageUser,
        podIPs: ips,
        node,
        volumes: input.volumes,
        etcHostsHostPath: await writeEtcHosts(
          files,
          pod,
          ips,
          options.clusterDomain ?? "",
          nodeHosts,
        ),
        terminationLogHostPath: terminationLog?.path,
        sources: options.sources,
      });
      await resolveSubPaths(pod, container, made.config, made.subPaths);
      await terminationLog?.create();
      return { config: made.config, events: made.events };
    },

    sandboxLabels(entry) {
      const id = sandboxIdentity(entry);
      return (
        id && {
          podUid: id.podUid,
          podName: id.podName,
          podNamespace: id.podNamespace,
          attempt: id.attempt,
        }
      );
    },

    containerLabels(entry) {
      const id = containerIdentity(entry);
      if (!id) return undefined;
      return {
        podUid: id.podUid,
        podName: id.podName,
        podNamespace: id.podNamespace,
        containerName: id.containerName,
        hash: id.hash,
        restartCount: id.restartCount,
        terminationMessagePath: id.terminationMessagePath || undefined,
        terminationMessagePolicy: id.terminationMessagePolicy || undefined,
        terminationGracePeriodSeconds:
          id.deletionGracePeriodSeconds ?? id.terminationGracePeriodSeconds,
      };
    },

    containerHash,
    pullPolicy: (container) => effectivePullPolicy(container),
    qosClass: (pod) => podQosClass(pod),
  };
}

function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? "";
}
