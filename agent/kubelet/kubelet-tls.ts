import { readFile } from "node:fs/promises";
import { errnoCode, failedPrecondition, invalidArgument } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { ensureServingCert } from "./serving-cert.js";

export interface KubeletTlsOptions {
  /** --tls-cert-file / --tls-private-key-file: the serving certificate to use (both or neither). */
  certFile?: string;
  keyFile?: string;
  /** --client-ca-file: the CA callers' certificates must chain to. */
  clientCaFile?: string;
  /** The cluster CA from the kubeconfig: the client CA when none is given. */
  clusterCa?: Buffer | string;
  /** Where a self-signed certificate is kept when none is given (<root>/pki). */
  pkiDir: string;
  nodeName: string;
  /** The names and IPs the node is reached by (SANs of a self-signed certificate). */
  hosts: string[];
  logger: Logger;
}

/** PEM material of the kubelet's HTTPS server, as createStreamingServer takes it. */
export interface KubeletTls {
  cert: string;
  key: string;
  ca: string;
}

/**
 * The kubelet's serving certificate and client CA: the given files, or a self-signed certificate
 * made and kept under <root>/pki; callers are checked against --client-ca-file or else the
 * cluster CA the kubeconfig trusts (the controller's and the admin's certificates chain to it).
 */
export async function kubeletTls(options: KubeletTlsOptions): Promise<KubeletTls> {
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
    throw invalidArgument("--tls-cert-file and --tls-private-key-file go together", {
      field: options.certFile === undefined ? "tls-cert-file" : "tls-private-key-file",
    });
  }
  let ca: string;
  if (options.clientCaFile !== undefined) {
    ca = await readPem(options.clientCaFile, "client-ca-file");
  } else if (options.clusterCa !== undefined && options.clusterCa.length > 0) {
    ca = options.clusterCa.toString();
  } else {
    throw invalidArgument(
      "no client CA for the kubelet's HTTPS API: pass --client-ca-file, or a kubeconfig whose cluster has a certificate-authority",
      { field: "client-ca-file" },
    );
  }
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    const [cert, key] = await Promise.all([
      readPem(options.certFile, "tls-cert-file"),
      readPem(options.keyFile, "tls-private-key-file"),
    ]);
    return { cert, key, ca };
  }
  const made = await ensureServingCert({
    dir: options.pkiDir,
    nodeName: options.nodeName,
    hosts: options.hosts,
    logger: options.logger,
  });
  return { cert: made.cert, key: made.key, ca };
}

async function readPem(file: string, flag: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const why = errnoCode(err) === "ENOENT" ? "does not exist" : (err as Error).message;
    throw failedPrecondition(`--${flag} ${file}: ${why}`, { field: flag, cause: err });
  }
  if (!text.includes("-----BEGIN ")) {
    throw invalidArgument(`--${flag} ${file}: not a PEM file`, { field: flag });
  }
  return text;
}
