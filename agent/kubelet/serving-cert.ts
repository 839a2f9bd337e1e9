import { X509Certificate, createPrivateKey } from "node:crypto";
import { promises as fs } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { errnoCode, invalidArgument } from "../../lib/errors.js";
import { run } from "../../lib/exec.js";
import type { Logger } from "../../lib/logger.js";

export interface ServingCertOptions {
  /** <root>/pki: kubelet.crt and kubelet.key are kept there. */
  dir: string;
  nodeName: string;
  /** The names and IPs clients reach the node by (SANs). */
  hosts: string[];
  logger: Logger;
  /** Reissue when the certificate expires within this long (default 30 days). */
  renewBeforeMs?: number;
  now?: () => number;
}

export interface ServingCert {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

const days = 365;

/**
 * The node's serving certificate when none is given, as kubelet does: a self-signed one in
 * <root>/pki/kubelet.{crt,key}, made on the first start and kept while it matches its key,
 * covers the node's names and IPs and is not about to expire. Made by the openssl CLI (Node's
 * crypto cannot build certificates).
 */
export async function ensureServingCert(options: ServingCertOptions): Promise<ServingCert> {
  const hosts = [...new Set(options.hosts.filter((h) => h !== ""))];
  if (hosts.length === 0) {
    throw invalidArgument("the serving certificate needs at least one host", { field: "hosts" });
  }
  const certFile = path.join(options.dir, "kubelet.crt");
  const keyFile = path.join(options.dir, "kubelet.key");
  const [cert, key] = await Promise.all([readIfExists(certFile), readIfExists(keyFile)]);
  const now = options.now?.() ?? Date.now();
  const renewBeforeMs = options.renewBeforeMs ?? 30 * 24 * 3600 * 1000;
  if (cert && key && stillFits(cert, key, hosts, now + renewBeforeMs)) {
    return { cert, key, certFile, keyFile };
  }
  await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
  const made = await selfSign(options.dir, options.nodeName, hosts, now);
  await writeAtomic(keyFile, made.key, 0o600);
  await writeAtomic(certFile, made.cert, 0o644);
  options.logger.info("made a self-signed serving certificate", { certFile, hosts });
  return { ...made, certFile, keyFile };
}

function stillFits(certPem: string, keyPem: string, hosts: string[], until: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    if (Date.parse(cert.validTo) <= until) return false;
    const sans = (cert.subjectAltName ?? "").split(", ");
    return hosts.every((h) => sans.includes(isIP(h) ? `IP Address:${h}` : `DNS:${h}`));
  } catch {
    return false;
  }
}

async function selfSign(dir: string, nodeName: string, hosts: string[], now: number) {
  const work = await fs.mkdtemp(path.join(dir, ".work-"));
  try {
    const config = path.join(work, "openssl.cnf");
    const keyFile = path.join(work, "key.pem");
    const certFile = path.join(work, "cert.pem");
    const alt = hosts.map((h, i) => (isIP(h) ? `IP.${i + 1} = ${h}` : `DNS.${i + 1} = ${h}`));
    await fs.writeFile(
      config,
      [
        "[req]",
        "distinguished_name = dn",
        "[dn]",
        "[v3]",
        "basicConstraints = critical,CA:FALSE",
        "keyUsage = critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage = serverAuth",
        "subjectKeyIdentifier = hash",
        "subjectAltName = @alt",
        "[alt]",
        ...alt,
        "",
      ].join("\n"),
    );
    // kubelet names its self-signed certificate <host>@<unix seconds>.
    const subject = `/CN=${nodeName.replace(/[\\/]/g, "_")}@${Math.floor(now / 1000)}`;
    await run(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        String(days),
        "-subj",
        subject,
        "-config",
        config,
        "-extensions",
        "v3",
      ],
      { timeoutMs: 30_000 },
    );
    const [cert, key] = await Promise.all([
      fs.readFile(certFile, "utf8"),
      fs.readFile(keyFile, "utf8"),
    ]);
    return { cert, key };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(temp, text, { mode });
  await fs.rename(temp, file);
}
