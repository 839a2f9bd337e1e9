import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { errnoCode } from "../../../lib/errors.js";
import type { Container, Pod } from "../../kube/types.js";
import type { ContainerConfig } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { SubPathMount } from "../spec/container-mounts.js";
import { podHostsFile } from "../spec/etc-hosts.js";
import { containerField } from "../spec/pod-containers.js";
import { podHostnameAndDomain } from "../spec/pod-hostname.js";
import type { PodFiles } from "../volumes/pod-paths.js";
import { resolveSubPath } from "../volumes/sub-path.js";
import { createTerminationLog } from "../volumes/termination-log.js";

/**
 * Writes the pod's managed /etc/hosts (kubelet's etc-hosts file) when it has IPs, and returns its
 * path; undefined when there is nothing to write yet. It is rewritten in place (same inode) when
 * its content changes, so containers that bind-mount it see the new one.
 */
export async function writeEtcHosts(
  files: PodFiles,
  pod: Pod,
  ips: string[],
  clusterDomain: string,
  nodeHosts: () => Promise<string>,
): Promise<string | undefined> {
  if (ips.length === 0) return undefined;
  const hostNetwork = pod.spec?.hostNetwork === true;
  const text = podHostsFile(
    pod,
    podHostnameAndDomain(pod, clusterDomain),
    ips,
    hostNetwork ? await nodeHosts() : undefined,
  );
  const current = await fs.readFile(files.etcHosts, "utf8").catch((err: unknown) => {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  });
  if (current !== text) {
    await fs.mkdir(files.podDir, { recursive: true, mode: 0o750 });
    await fs.writeFile(files.etcHosts, text, { mode: 0o644 });
  }
  return files.etcHosts;
}

/**
 * Where a new container instance's termination-message file goes, and how to create it once its
 * config is made (undefined when the container turned the message off with an empty
 * terminationMessagePath). Each instance gets its own file (a random id, as kubelet's), so a new
 * one never shows the message an earlier one left.
 */
export function newTerminationLog(
  files: PodFiles,
  container: Container,
): { path: string; create(): Promise<string> } | undefined {
  if ((container.terminationMessagePath ?? "/dev/termination-log") === "") return undefined;
  const id = randomBytes(8).toString("hex");
  return {
    path: files.terminationLog(container.name, id),
    create: () => createTerminationLog(files, container.name, id),
  };
}

/**
 * Creates each subPath inside its volume (refusing one that escapes it through symlinks) and
 * points the config's mount at the resolved path, so the bind mount cannot be redirected later.
 */
export async function resolveSubPaths(
  pod: Pod,
  container: Container,
  config: ContainerConfig,
  subPaths: SubPathMount[],
): Promise<void> {
  const base = containerField(pod, container);
  for (const sp of subPaths) {
    const index = (container.volumeMounts ?? []).findIndex(
      (vm) => vm.name === sp.volumeName && (vm.subPath === sp.subPath || !!vm.subPathExpr),
    );
    const field = `${base}.volumeMounts[${index}].${container.volumeMounts?.[index]?.subPathExpr ? "subPathExpr" : "subPath"}`;
    const real = await resolveSubPath(sp.volumeHostPath, sp.subPath, field);
    for (const mount of config.mounts ?? []) {
      if (mount.host_path === sp.hostPath) mount.host_path = real;
    }
  }
}
