import path from "node:path";
import { validatePathComponent } from "./payload-path.js";

/** The volume kinds Berth sets up, and kubelet's directory name for each plugin that owns files. */
export type VolumeKind = "emptyDir" | "hostPath" | "configMap" | "secret" | "downwardAPI";

export const pluginDirNames: Record<Exclude<VolumeKind, "hostPath">, string> = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
  downwardAPI: "kubernetes.io~downward-api",
};

export interface PodFiles {
  /** <pods root>/<uid> */
  podDir: string;
  /** <pods root>/<uid>/volumes */
  volumesDir: string;
  /** <pods root>/<uid>/etc-hosts: the hosts file kubelet bind-mounts into every container. */
  etcHosts: string;
  /** <pods root>/<uid>/volumes/kubernetes.io~<plugin>/<volume> */
  volumeDir(kind: Exclude<VolumeKind, "hostPath">, volumeName: string): string;
  /** <pods root>/<uid>/containers/<container>/<restartId>: a container's termination-log file. */
  terminationLog(containerName: string, restartId: string): string;
}

/** The on-disk layout of one pod, as kubelet lays out its pods dir. Names are checked as path elements. */
export function podFiles(podsRoot: string, uid: string): PodFiles {
  const podDir = path.join(podsRoot, validatePathComponent(uid, "metadata.uid"));
  const volumesDir = path.join(podDir, "volumes");
  return {
    podDir,
    volumesDir,
    etcHosts: path.join(podDir, "etc-hosts"),
    volumeDir: (kind, volumeName) =>
      path.join(volumesDir, pluginDirNames[kind], validatePathComponent(volumeName, "volume name")),
    terminationLog: (containerName, restartId) =>
      path.join(
        podDir,
        "containers",
        validatePathComponent(containerName, "container name"),
        validatePathComponent(restartId, "restart id"),
      ),
  };
}
