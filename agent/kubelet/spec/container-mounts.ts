import path from "node:path";
import { invalidArgument, notFound } from "../../../lib/errors.js";
import type { Container, Pod, VolumeMount } from "../../kube/types.js";
import type { Mount } from "../../../proto/gen/runtime/v1/Mount.js";
import type { MountPropagation } from "../../../proto/gen/runtime/v1/MountPropagation.js";
import { expandVars } from "./expand-vars.js";
import { containerField } from "./pod-containers.js";

/** A pod volume as the volume layer has set it up on the host. */
export interface VolumeHostMount {
  hostPath: string;
  /** The volume is read-only whatever the mount asks (configMap, secret, downwardAPI…). */
  readOnly?: boolean;
  selinuxRelabel?: boolean;
}

/** A subPath mount: the caller must create hostPath inside the volume, safely, before creating the container. */
export interface SubPathMount {
  volumeName: string;
  volumeHostPath: string;
  subPath: string;
  hostPath: string;
}

export interface MountInput {
  pod: Pod;
  container: Container;
  volumes: ReadonlyMap<string, VolumeHostMount>;
  /** The container's final environment, for subPathExpr. */
  env: ReadonlyMap<string, string>;
  /** The pod's managed hosts file; mounted at /etc/hosts unless the container mounts something there. */
  etcHostsHostPath?: string;
  /** This container instance's termination-message file, mounted at terminationMessagePath. */
  terminationLogHostPath?: string;
}

const propagations: Record<string, MountPropagation> = {
  None: "PROPAGATION_PRIVATE",
  HostToContainer: "PROPAGATION_HOST_TO_CONTAINER",
  Bidirectional: "PROPAGATION_BIDIRECTIONAL",
};

/**
 * The container's CRI mounts, as kubelet's makeMounts: each volumeMount from its volume's host
 * path (plus subPath / expanded subPathExpr, which must be relative and free of ".."), read-only
 * if the mount or the volume says so, its propagation; then /etc/hosts; then the termination log.
 */
export function containerMounts(input: MountInput): { mounts: Mount[]; subPaths: SubPathMount[] } {
  const { pod, container } = input;
  const base = containerField(pod, container);
  const mounts: Mount[] = [];
  const subPaths: SubPathMount[] = [];
  for (const [i, vm] of (container.volumeMounts ?? []).entries()) {
    const field = `${base}.volumeMounts[${i}]`;
    const volume = input.volumes.get(vm.name);
    if (!volume) {
      throw notFound(
        `cannot find volume "${vm.name}" to mount into container "${container.name}"`,
        {
          field: `${field}.name`,
        },
      );
    }
    let hostPath = volume.hostPath;
    const subPath = subPathOf(vm, input.env, field);
    if (subPath !== "") {
      hostPath = path.posix.join(volume.hostPath, subPath);
      subPaths.push({ volumeName: vm.name, volumeHostPath: volume.hostPath, subPath, hostPath });
    }
    mounts.push({
      container_path: vm.mountPath.startsWith("/") ? vm.mountPath : `/${vm.mountPath}`,
      host_path: hostPath,
      readonly: vm.readOnly === true || volume.readOnly === true,
      selinux_relabel: volume.selinuxRelabel === true,
      propagation: propagationOf(vm, container, field),
    });
  }
  const mountsHosts = (container.volumeMounts ?? []).some((m) => m.mountPath === "/etc/hosts");
  if (input.etcHostsHostPath && !mountsHosts) {
    mounts.push({
      container_path: "/etc/hosts",
      host_path: input.etcHostsHostPath,
      readonly: false,
    });
  }
  const messagePath = container.terminationMessagePath ?? "/dev/termination-log";
  if (input.terminationLogHostPath && messagePath !== "") {
    mounts.push({ container_path: messagePath, host_path: input.terminationLogHostPath });
  }
  return { mounts, subPaths };
}

function subPathOf(vm: VolumeMount, env: ReadonlyMap<string, string>, field: string): string {
  let subPath = vm.subPath ?? "";
  let subField = `${field}.subPath`;
  if (vm.subPathExpr) {
    subField = `${field}.subPathExpr`;
    const missing = new Set<string>();
    subPath = expandVars(vm.subPathExpr, (name) => {
      const value = env.get(name);
      if (!value) missing.add(name);
      return value ?? "";
    });
    if (missing.size > 0) {
      throw invalidArgument(`missing value for ${[...missing].sort().join(", ")}`, {
        field: subField,
      });
    }
  }
  if (subPath === "") return "";
  if (subPath.startsWith("/")) {
    throw invalidArgument(`error SubPath \`${subPath}\` must not be an absolute path`, {
      field: subField,
    });
  }
  if (subPath.split("/").includes("..")) {
    throw invalidArgument(`unable to provision SubPath \`${subPath}\`: must not contain '..'`, {
      field: subField,
    });
  }
  return subPath;
}

function propagationOf(vm: VolumeMount, container: Container, field: string): MountPropagation {
  const mode = vm.mountPropagation;
  if (mode === undefined) return "PROPAGATION_PRIVATE";
  const propagation = propagations[mode];
  if (!propagation) {
    throw invalidArgument(`invalid MountPropagation mode: ${JSON.stringify(mode)}`, {
      field: `${field}.mountPropagation`,
    });
  }
  if (
    propagation === "PROPAGATION_BIDIRECTIONAL" &&
    container.securityContext?.privileged !== true
  ) {
    throw invalidArgument(
      "Bidirectional mount propagation is available only to privileged containers",
      {
        field: `${field}.mountPropagation`,
      },
    );
  }
  return propagation;
}
