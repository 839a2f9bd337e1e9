import { invalidArgument } from "../../../lib/errors.js";
import type { Container, Pod } from "../../kube/types.js";
import type { ContainerConfig } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import { asContainerConfigError } from "./container-config-error.js";
import { containerEnv, type ConfigSources } from "./container-env.js";
import { containerMounts, type SubPathMount, type VolumeHostMount } from "./container-mounts.js";
import { expandVars, lookupIn } from "./expand-vars.js";
import { containerLogPath } from "./log-paths.js";
import { podContainers } from "./pod-containers.js";
import { containerAnnotations, containerLabels } from "./pod-labels.js";
import { containerLinuxResources } from "./resources.js";
import { verifyRunAsNonRoot } from "./run-as-non-root.js";
import type { SeccompOptions } from "./seccomp.js";
import { containerSecurityContext } from "./security-context.js";
import type { SpecEvent } from "./spec-event.js";

/** What the kubelet knows about its node, the same for every container. */
export interface NodeFacts {
  /** node.status.allocatable: the limits a resourceFieldRef reads when the container sets none. */
  allocatable: Record<string, string>;
  /** The machine's memory, for a Burstable container's oom_score_adj. */
  memoryCapacityBytes: bigint;
  /** The node's IPs, primary first (status.hostIP / hostIPs). */
  hostIPs: string[];
  seccomp?: SeccompOptions;
  cgroupV2?: boolean;
}

export interface ContainerConfigInput {
  pod: Pod;
  /** One of the pod's containers or init containers. */
  container: Container;
  restartCount: number;
  /** The pulled image's id, sent as image.image; defaults to the spec's image text. */
  imageRef?: string;
  /** The image config's User ("" when unset), for runAsNonRoot. */
  imageUser: string;
  /** The sandbox's IPs, primary first. */
  podIPs: string[];
  node: NodeFacts;
  /** The pod's volumes as set up on the host, by volume name. */
  volumes: ReadonlyMap<string, VolumeHostMount>;
  etcHostsHostPath?: string;
  terminationLogHostPath?: string;
  sources: ConfigSources;
  serviceEnv?: Record<string, string>;
}

export interface ContainerConfigResult {
  config: ContainerConfig;
  /** subPath mounts whose host paths must be created inside their volumes before CreateContainer. */
  subPaths: SubPathMount[];
  events: SpecEvent[];
}

/**
 * The CreateContainer config for one container of a pod, as kubelet's generateContainerConfig.
 * Every failure is a ContainerConfigError naming the pod and container — the sync layer shows it
 * as CreateContainerConfigError. Env values are UTF-8 bytes (KeyValue.value is bytes).
 */
export async function containerConfig(input: ContainerConfigInput): Promise<ContainerConfigResult> {
  const { pod, container } = input;
  try {
    if (!podContainers(pod).some((c) => c.container.name === container.name)) {
      throw invalidArgument(
        `container ${JSON.stringify(container.name)} is not in the pod's spec`,
        {
          field: "container.name",
        },
      );
    }
    if (!container.image) {
      throw invalidArgument("container image must be set", { field: "container.image" });
    }
    const env = await containerEnv({
      pod,
      container,
      network: { podIPs: input.podIPs, hostIPs: input.node.hostIPs },
      allocatable: input.node.allocatable,
      sources: input.sources,
      serviceEnv: input.serviceEnv,
    });
    const { mounts, subPaths } = containerMounts({
      pod,
      container,
      volumes: input.volumes,
      env: env.vars,
      etcHostsHostPath: input.etcHostsHostPath,
      terminationLogHostPath: input.terminationLogHostPath,
    });
    verifyRunAsNonRoot(pod, container, input.imageUser);
    const lookup = lookupIn(env.vars);
    const config: ContainerConfig = {
      metadata: { name: container.name, attempt: input.restartCount },
      image: { image: input.imageRef || container.image, user_specified_image: container.image },
      command: (container.command ?? []).map((c) => expandVars(c, lookup)),
      args: (container.args ?? []).map((a) => expandVars(a, lookup)),
      working_dir: container.workingDir ?? "",
      envs: [...env.vars].map(([key, value]) => ({ key, value: Buffer.from(value, "utf8") })),
      mounts,
      labels: containerLabels(pod, container),
      annotations: containerAnnotations(pod, container, input.restartCount),
      log_path: containerLogPath(container.name, input.restartCount),
      stdin: container.stdin === true,
      stdin_once: container.stdinOnce === true,
      tty: container.tty === true,
      linux: {
        resources: containerLinuxResources(pod, container, input.node.memoryCapacityBytes, {
          cgroupV2: input.node.cgroupV2,
        }),
        security_context: containerSecurityContext(pod, container, input.node.seccomp),
      },
    };
    return { config, subPaths, events: env.events };
  } catch (err) {
    throw asContainerConfigError(err);
  }
}
