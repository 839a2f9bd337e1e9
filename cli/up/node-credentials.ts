import { promises as fs } from "node:fs";
import path from "node:path";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { writeKubeconfig } from "../../controller/pki/kubeconfig.js";
import type { Pki } from "../../controller/pki/pki.js";
import { parseCertificate, subjectOf } from "../../controller/pki/certificate-checks.js";
import { kubeconfigCredentials } from "./kubeconfig-credentials.js";

/**
 * The agent's kubeconfig: a client certificate for system:node:<node> in system:nodes, signed by
 * the controller's CA, kept across runs while it names this node and this server and is not
 * about to expire.
 */
export async function ensureNodeKubeconfig(
  file: string,
  pki: Pki,
  serverUrl: string,
  nodeName: string,
): Promise<void> {
  const user = `system:node:${nodeName}`;
  const current = await kubeconfigCredentials(file).catch(() => undefined);
  const cert = current ? parseCertificate(current.certPem) : undefined;
  if (
    current?.server === serverUrl &&
    cert &&
    subjectOf(cert).commonName === user &&
    Date.parse(cert.validTo) - Date.now() > 30 * 24 * 3600 * 1000
  ) {
    return;
  }
  const issued = await issueClientCertificate(pki, {
    commonName: user,
    organizations: ["system:nodes"],
  });
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeKubeconfig(file, {
    server: serverUrl,
    caPem: await fs.readFile(pki.caFile, "utf8"),
    user,
    clientCertPem: issued.certPem,
    clientKeyPem: issued.keyPem,
  });
}
