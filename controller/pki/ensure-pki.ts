import { chmod, mkdir, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { invalidArgument } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { loadOrCreateCa } from "./cluster-ca.js";
import { checkServerUrl, writeKubeconfig } from "./kubeconfig.js";
import { ensureLeafCertificate } from "./leaf-certificate.js";
import { mastersGroup } from "../auth/well-known.js";
import { adminCommonName, kubeletClientCommonName, type GeneratedPki } from "./pki.js";
import { pkiLayout } from "./pki-layout.js";
import { servingAltNames } from "./serving-hosts.js";

export const servingCommonName = "berth-apiserver";

export interface EnsurePkiOptions {
  /** The controller's data dir; files go to <dataDir>/pki/ and <dataDir>/admin.kubeconfig. */
  dataDir: string;
  /** Serving certificate SANs: 127.0.0.1, localhost, the listen host… (IPs and DNS names). */
  hosts: string[];
  /** When given, <dataDir>/admin.kubeconfig is (re)written to point at it. */
  serverUrl?: string;
  logger: Logger;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * The controller's own PKI: a CA, a serving certificate, an admin client certificate and the
 * client certificate it shows agents when it proxies streams to them, made on
 * the first start and reused after; a certificate is reissued only when it no longer fits (new
 * hosts, near expiry, not from the CA, key mismatch).
 */
export async function ensurePki(options: EnsurePkiOptions): Promise<GeneratedPki> {
  const sans = servingAltNames(options.hosts);
  if (sans.ips.length + sans.dnsNames.length === 0) {
    throw invalidArgument("hosts must name at least one IP address or DNS name", {
      field: "hosts",
    });
  }
  if (options.serverUrl !== undefined) checkServerUrl(options.serverUrl, "serverUrl");
  const layout = pkiLayout(options.dataDir);
  const now = (options.now?.() ?? new Date()).getTime();
  await mkdir(layout.dir, { recursive: true, mode: 0o700 });
  await chmod(layout.dir, 0o700);
  await removeStaleWorkDirs(layout.dir);
  const ca = await loadOrCreateCa(layout, options.logger, now);
  const caRef = { cert: ca.cert, certFile: layout.caCert, keyFile: layout.caKey };
  await ensureLeafCertificate({
    label: "serving certificate",
    certFile: layout.serverCert,
    keyFile: layout.serverKey,
    ca: caRef,
    usage: "server",
    subject: { commonName: servingCommonName },
    sans,
    days: 365,
    now,
    logger: options.logger,
  });
  await ensureLeafCertificate({
    label: "admin client certificate",
    certFile: layout.adminCert,
    keyFile: layout.adminKey,
    ca: caRef,
    usage: "client",
    subject: { commonName: adminCommonName, organizations: [mastersGroup] },
    days: 365,
    now,
    logger: options.logger,
  });
  await ensureLeafCertificate({
    label: "kubelet client certificate",
    certFile: layout.kubeletClientCert,
    keyFile: layout.kubeletClientKey,
    ca: caRef,
    usage: "client",
    subject: { commonName: kubeletClientCommonName, organizations: [mastersGroup] },
    days: 365,
    now,
    logger: options.logger,
  });
  const pki: GeneratedPki = {
    caFile: layout.caCert,
    caCert: ca.pem,
    caKeyFile: layout.caKey,
    serverCertFile: layout.serverCert,
    serverKeyFile: layout.serverKey,
    adminCertFile: layout.adminCert,
    adminKeyFile: layout.adminKey,
    kubeletClientCertFile: layout.kubeletClientCert,
    kubeletClientKeyFile: layout.kubeletClientKey,
  };
  if (options.serverUrl !== undefined) {
    await writeAdminKubeconfig(pki, layout.adminKubeconfig, options.serverUrl);
  }
  return pki;
}

/** A kubeconfig for the admin user (cluster-admin through system:masters), credentials embedded. */
export async function writeAdminKubeconfig(
  pki: GeneratedPki,
  file: string,
  serverUrl: string,
): Promise<void> {
  const [clientCertPem, clientKeyPem] = await Promise.all([
    readFile(pki.adminCertFile, "utf8"),
    readFile(pki.adminKeyFile, "utf8"),
  ]);
  await writeKubeconfig(file, {
    server: serverUrl,
    caPem: pki.caCert,
    user: adminCommonName,
    clientCertPem,
    clientKeyPem,
  });
}

/** <dataDir>/admin.kubeconfig */
export function adminKubeconfigPath(dataDir: string): string {
  return pkiLayout(dataDir).adminKubeconfig;
}

// A crash during an openssl call can leave its work dir (with a key copy) behind.
async function removeStaleWorkDirs(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(".work-"))
      await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}
