import path from "node:path";

/** Where ensurePki keeps its files under the controller's data dir. */
export function pkiLayout(dataDir: string) {
  const dir = path.join(dataDir, "pki");
  return {
    dir,
    caCert: path.join(dir, "ca.crt"),
    caKey: path.join(dir, "ca.key"),
    serverCert: path.join(dir, "apiserver.crt"),
    serverKey: path.join(dir, "apiserver.key"),
    adminCert: path.join(dir, "admin.crt"),
    adminKey: path.join(dir, "admin.key"),
    /** The identity the controller shows agents when it proxies logs and exec (kubeadm's names). */
    kubeletClientCert: path.join(dir, "apiserver-kubelet-client.crt"),
    kubeletClientKey: path.join(dir, "apiserver-kubelet-client.key"),
    adminKubeconfig: path.join(dataDir, "admin.kubeconfig"),
  };
}

export type PkiLayout = ReturnType<typeof pkiLayout>;
