import { readFile } from "node:fs/promises";
import os from "node:os";
import { berthVersion } from "../../../lib/version.js";
import type { Node } from "../../kube/types.js";

export type NodeInfo = NonNullable<NonNullable<Node["status"]>["nodeInfo"]>;

/** The Kubernetes release whose API Berth's controller serves; the agent reports the same. */
export const kubernetesVersion = "v1.32.4";

/** kubeletVersion: the served Kubernetes version, tagged with Berth's (as the controller's /version). */
export const kubeletVersion = `${kubernetesVersion}+berth-${berthVersion}`;

/** nodeInfo.containerRuntimeVersion, shown in `kubectl get nodes -o wide`. */
export const containerRuntimeVersion = `berth://${berthVersion}`;

/** Go's GOARCH names for Node's process.arch values. */
export function goArch(arch: string = process.arch): string {
  return arch === "x64" ? "amd64" : arch === "ia32" ? "386" : arch;
}

/** Where the host identity files are; tests point them elsewhere. */
export interface HostFiles {
  osRelease: string;
  machineId: string;
  bootId: string;
  productUuid: string;
}

export const defaultHostFiles: HostFiles = {
  osRelease: "/etc/os-release",
  machineId: "/etc/machine-id",
  bootId: "/proc/sys/kernel/random/boot_id",
  productUuid: "/sys/class/dmi/id/product_uuid",
};

/** The node's nodeInfo, from the kernel, /etc/os-release and the host's identity files. */
export async function readNodeInfo(files: HostFiles = defaultHostFiles): Promise<NodeInfo> {
  const [osRelease, machineID, bootID, systemUUID] = await Promise.all([
    readOptional(files.osRelease),
    readOptional(files.machineId),
    readOptional(files.bootId),
    readOptional(files.productUuid),
  ]);
  return {
    machineID,
    systemUUID,
    bootID,
    kernelVersion: os.release(),
    osImage: prettyName(osRelease) || "Linux",
    containerRuntimeVersion,
    kubeletVersion,
    operatingSystem: "linux",
    architecture: goArch(),
  };
}

/** PRETTY_NAME from os-release text (shell-style quoting), or "". */
export function prettyName(osRelease: string): string {
  const line = osRelease.split("\n").find((l) => l.startsWith("PRETTY_NAME="));
  if (!line) return "";
  const value = line.slice("PRETTY_NAME=".length).trim();
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return (quoted ? quoted[2].replace(/\\(["\\$`])/g, "$1") : value).trim();
}

// Unreadable identity files (product_uuid is root-only; containers lack some) leave the field empty.
async function readOptional(file: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    return "";
  }
}
