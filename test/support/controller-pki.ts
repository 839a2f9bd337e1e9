import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { silentLogger } from "../../lib/logger.js";
import { ensurePki } from "../../controller/pki/ensure-pki.js";
import { issueClientCertificate } from "../../controller/pki/issue-client-certificate.js";
import { writeKubeconfig } from "../../controller/pki/kubeconfig.js";
import type { GeneratedPki } from "../../controller/pki/pki.js";
import { tempDir } from "./temp-dir.js";

/** A client certificate on disk, usable as client-certificate/client-key in a kubeconfig. */
export interface TestClientCert {
  commonName: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  /** The data dir: pki/ and admin.kubeconfig live under it. */
  dir: string;
  pki: GeneratedPki;
  /** The admin certificate (CN=berth-admin, O=system:masters) as a TestClientCert. */
  admin: TestClientCert;
  /** A certificate for any user and groups. */
  issueClient(commonName: string, organizations?: string[]): Promise<TestClientCert>;
  /** A node's certificate: system:node:<name> in system:nodes. */
  issueNode(nodeName: string): Promise<TestClientCert>;
  /** Writes a kubeconfig for a client certificate or a bearer token; returns its path. */
  kubeconfig(
    serverUrl: string,
    credentials: TestClientCert | { user: string; token: string },
    file?: string,
  ): Promise<string>;
  remove(): void;
}

/** A throwaway PKI made by the real ensurePki (so: openssl) in a temp dir. */
export async function makeTestPki(
  name: string,
  options: { hosts?: string[]; serverUrl?: string } = {},
): Promise<TestPki> {
  const dir = tempDir(`pki-${name}`);
  try {
    const pki = await ensurePki({
      dataDir: dir.path,
      hosts: options.hosts ?? ["127.0.0.1", "localhost"],
      serverUrl: options.serverUrl,
      logger: silentLogger(),
    });
    const clientsDir = path.join(dir.path, "clients");
    await mkdir(clientsDir, { recursive: true, mode: 0o700 });
    let issued = 0;
    const issueClient = async (commonName: string, organizations: string[] = []) => {
      const { certPem, keyPem } = await issueClientCertificate(pki, { commonName, organizations });
      const base = path.join(clientsDir, `${++issued}-${commonName.replace(/[^\w.-]/g, "_")}`);
      await writeFile(`${base}.crt`, certPem, { mode: 0o644 });
      await writeFile(`${base}.key`, keyPem, { mode: 0o600 });
      return { commonName, certFile: `${base}.crt`, keyFile: `${base}.key`, certPem, keyPem };
    };
    const admin: TestClientCert = {
      commonName: "berth-admin",
      certFile: pki.adminCertFile,
      keyFile: pki.adminKeyFile,
      certPem: await readFile(pki.adminCertFile, "utf8"),
      keyPem: await readFile(pki.adminKeyFile, "utf8"),
    };
    let kubeconfigs = 0;
    return {
      dir: dir.path,
      pki,
      admin,
      issueClient,
      issueNode: (nodeName) => issueClient(`system:node:${nodeName}`, ["system:nodes"]),
      async kubeconfig(serverUrl, credentials, file) {
        const target = file ?? path.join(dir.path, `kubeconfig-${++kubeconfigs}`);
        const user = "token" in credentials ? credentials.user : credentials.commonName;
        await writeKubeconfig(target, {
          server: serverUrl,
          caPem: pki.caCert,
          user,
          ...("token" in credentials
            ? { token: credentials.token }
            : { clientCertPem: credentials.certPem, clientKeyPem: credentials.keyPem }),
        });
        return target;
      },
      remove: () => dir.remove(),
    };
  } catch (err) {
    dir.remove();
    throw err;
  }
}
