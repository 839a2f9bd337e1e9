import type { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { failedPrecondition, errnoCode } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { expiresAt, keyMatches, parseCertificate, renewBeforeMs } from "./certificate-checks.js";
import { generatePrivateKey, selfSignCa } from "./openssl.js";
import type { PkiLayout } from "./pki-layout.js";
import { writeFileAtomic } from "./write-file-atomic.js";

export const caCommonName = "berth-ca";
const caDays = 3650;

/**
 * The cluster CA: created on first start, reused after. A CA is never replaced behind the
 * user's back (every issued certificate and kubeconfig depends on it), so a damaged or expired
 * one stops the start with a message saying what to do.
 */
export async function loadOrCreateCa(
  layout: PkiLayout,
  logger: Logger,
  now: number,
): Promise<{ cert: X509Certificate; pem: string }> {
  const [certPem, keyPem] = await Promise.all([
    readIfExists(layout.caCert),
    readIfExists(layout.caKey),
  ]);
  if (certPem === undefined && keyPem === undefined) {
    const key = await generatePrivateKey();
    const pem = await selfSignCa(key, { commonName: caCommonName }, caDays, layout.dir);
    await writeFileAtomic(layout.caKey, key, 0o600);
    await writeFileAtomic(layout.caCert, pem, 0o644);
    logger.info("created the cluster CA", { caFile: layout.caCert });
    return { cert: parseCertificate(pem)!, pem };
  }
  const restart = `restore it, or remove ${layout.dir} to start a new CA (clients must then be reissued)`;
  if (certPem === undefined) throw failedPrecondition(`${layout.caCert} is missing: ${restart}`);
  if (keyPem === undefined) throw failedPrecondition(`${layout.caKey} is missing: ${restart}`);
  const cert = parseCertificate(certPem);
  if (!cert || !cert.ca)
    throw failedPrecondition(`${layout.caCert} is not a CA certificate: ${restart}`);
  if (!keyMatches(cert, keyPem)) {
    throw failedPrecondition(`${layout.caKey} does not match ${layout.caCert}: ${restart}`);
  }
  const left = expiresAt(cert) - now;
  if (left <= 0) throw failedPrecondition(`the cluster CA expired ${cert.validTo}: ${restart}`);
  if (left < renewBeforeMs) logger.warn("the cluster CA expires soon", { validTo: cert.validTo });
  return { cert, pem: certPem };
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}
