import type { X509Certificate } from "node:crypto";
import type { Logger } from "../../lib/logger.js";
import { leafProblem, parseCertificate } from "./certificate-checks.js";
import {
  generatePrivateKey,
  signCertificate,
  type CertificateSubject,
  type SubjectAltNames,
} from "./openssl.js";
import { certificateAltNames, mergeAltNames, missingAltNames } from "./serving-hosts.js";
import { readIfExists } from "./cluster-ca.js";
import { writeFileAtomic } from "./write-file-atomic.js";

export interface LeafSpec {
  /** For logs: "serving certificate", "admin client certificate". */
  label: string;
  certFile: string;
  keyFile: string;
  ca: { cert: X509Certificate; certFile: string; keyFile: string };
  usage: "server" | "client";
  subject: CertificateSubject;
  /** Server certificates: the hosts it must cover. */
  sans?: SubjectAltNames;
  days: number;
  now: number;
  logger: Logger;
}

/** Reuses the certificate on disk when it still fits the spec; issues a new one otherwise. */
export async function ensureLeafCertificate(spec: LeafSpec): Promise<void> {
  const [certPem, keyPem] = await Promise.all([
    readIfExists(spec.certFile),
    readIfExists(spec.keyFile),
  ]);
  let sans = spec.sans;
  let why: string | undefined = "it does not exist";
  if (certPem !== undefined && keyPem !== undefined) {
    why = leafProblem(certPem, keyPem, {
      ca: spec.ca.cert,
      usage: spec.usage,
      commonName: spec.subject.commonName,
      organizations: spec.subject.organizations ?? [],
      now: spec.now,
    });
    const existing = parseCertificate(certPem);
    if (why === undefined && existing && sans) {
      const missing = missingAltNames(existing, sans);
      if (missing.length > 0) why = `it does not cover ${missing.join(", ")}`;
      // Hosts the certificate served before stay valid: clients may still use them.
      sans = mergeAltNames(certificateAltNames(existing), sans);
    }
  }
  if (why === undefined) return;
  const newKey = await generatePrivateKey();
  const newCert = await signCertificate({
    keyPem: newKey,
    caCertFile: spec.ca.certFile,
    caKeyFile: spec.ca.keyFile,
    subject: spec.subject,
    days: spec.days,
    usage: spec.usage,
    sans,
  });
  // Key first: a crash between the two writes leaves a mismatch the next start repairs.
  await writeFileAtomic(spec.keyFile, newKey, 0o600);
  await writeFileAtomic(spec.certFile, newCert, 0o644);
  spec.logger.info(`issued the ${spec.label}`, {
    certFile: spec.certFile,
    reason: why,
    ...(sans ? { ips: sans.ips, dnsNames: sans.dnsNames } : {}),
  });
}
