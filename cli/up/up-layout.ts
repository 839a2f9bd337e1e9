import path from "node:path";

/** Where `berth up` keeps each part's state under its root, so `berth down --purge` finds it all. */
export function upLayout(root: string) {
  return {
    root,
    etcdDir: path.join(root, "etcd"),
    controllerDir: path.join(root, "controller"),
    adminKubeconfig: path.join(root, "admin.kubeconfig"),
    nodeKubeconfig: path.join(root, "agent", "kubeconfig"),
    cniConfDir: path.join(root, "cni", "net.d"),
    podLogsDir: path.join(root, "pod-logs"),
    /** The running `berth up`'s pid, so `berth down` can stop it. */
    pidFile: path.join(root, "up.pid"),
  };
}

export type UpLayout = ReturnType<typeof upLayout>;
