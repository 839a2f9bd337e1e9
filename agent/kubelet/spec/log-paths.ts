import path from "node:path";

/** Where kubelet keeps a pod's logs: <root>/<namespace>_<name>_<uid> (root is /var/log/pods). */
export function podLogDirectory(
  root: string,
  namespace: string,
  name: string,
  uid: string,
): string {
  return path.join(root, `${namespace}_${name}_${uid}`);
}

/** A container instance's log, relative to the pod's log directory: <container>/<restartCount>.log. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return path.posix.join(containerName, `${restartCount}.log`);
}
