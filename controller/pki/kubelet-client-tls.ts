import { createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { invalidArgument } from "../../lib/errors.js";
import { parsePem, readFlagFile } from "./load-pki-files.js";
import type { Pki } from "./pki.js";

/** kube-apiserver's --kubelet-client-certificate, --kubelet-client-key, --kubelet-certificate-authority. */
export interface KubeletClientFiles {
  /** The client certificate shown to agents; the generated one when absent. */
  certFile?: string;
  keyFile?: string;
  /** Agents' serving certificates must chain to this CA; unverified when absent. */
  caFile?: string;
}

/** PEM texts for connecting to agents. */
export interface KubeletClientTls {
  cert: string;
  key: string;
  ca?: string;
}

/**
 * The credentials the controller proxies streams to agents with: the given files (checked: they
 * parse, the key fits the certificate, the CA is a CA), else the certificate the controller's
 * PKI made. Undefined when there is none (user-supplied serving files and no flags).
 */
export async function loadKubeletClientTls(
  files: KubeletClientFiles,
  pki: Pki,
): Promise<KubeletClientTls | undefined> {
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    throw invalidArgument("--kubelet-client-certificate and --kubelet-client-key go together", {
      field: files.certFile === undefined ? "kubelet-client-certificate" : "kubelet-client-key",
    });
  }
  const ca = files.caFile === undefined ? undefined : await loadCa(files.caFile);
  if (files.certFile !== undefined && files.keyFile !== undefined) {
    return { ...(await loadPair(files.certFile, files.keyFile)), ca };
  }
  if (pki.kubeletClientCertFile === undefined || pki.kubeletClientKeyFile === undefined) {
    return undefined;
  }
  const [cert, key] = await Promise.all([
    readFile(pki.kubeletClientCertFile, "utf8"),
    readFile(pki.kubeletClientKeyFile, "utf8"),
  ]);
  return { cert, key, ca };
}

async function loadPair(certFile: string, keyFile: string): Promise<{ cert: string; key: string }> {
  const [cert, key] = await Promise.all([
    readFlagFile(certFile, "kubelet-client-certificate"),
    readFlagFile(keyFile, "kubelet-client-key"),
  ]);
  const parsed = parsePem(cert, "kubelet-client-certificate", certFile);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw invalidArgument(
      `--kubelet-client-key ${keyFile}: not a PEM private key (or it is encrypted)`,
      { field: "kubelet-client-key" },
    );
  }
  if (!parsed.checkPrivateKey(privateKey)) {
    throw invalidArgument(
      `--kubelet-client-key ${keyFile} does not match --kubelet-client-certificate ${certFile}`,
      { field: "kubelet-client-key" },
    );
  }
  return { cert, key };
}

async function loadCa(caFile: string): Promise<string> {
  const pem = await readFlagFile(caFile, "kubelet-certificate-authority");
  if (!parsePem(pem, "kubelet-certificate-authority", caFile).ca) {
    throw invalidArgument(`--kubelet-certificate-authority ${caFile}: not a CA certificate`, {
      field: "kubelet-certificate-authority",
    });
  }
  return pem;
}
