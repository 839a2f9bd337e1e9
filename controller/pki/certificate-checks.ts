import { X509Certificate, createPrivateKey } from "node:crypto";

const serverAuth = "1.3.6.1.5.5.7.3.1";
const clientAuth = "1.3.6.1.5.5.7.3.2";

/** Renew a leaf certificate this long before it expires, so clients never meet an expired one. */
export const renewBeforeMs = 30 * 24 * 3600 * 1000;

export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

export function expiresAt(cert: X509Certificate): number {
  return Date.parse(cert.validTo);
}

export function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

export interface LeafExpectations {
  ca: X509Certificate;
  usage: "server" | "client";
  commonName?: string;
  organizations?: string[];
  now: number;
}

/** Why an existing leaf certificate cannot be reused, or undefined when it can. */
export function leafProblem(
  certPem: string,
  keyPem: string,
  expect: LeafExpectations,
): string | undefined {
  const cert = parseCertificate(certPem);
  if (!cert) return "the certificate does not parse";
  if (!keyMatches(cert, keyPem)) return "the key does not match the certificate";
  if (!cert.checkIssued(expect.ca) || !cert.verify(expect.ca.publicKey)) {
    return "the certificate was not issued by the current CA";
  }
  if (expiresAt(cert) - expect.now < renewBeforeMs) return `it expires ${cert.validTo}`;
  const usage = expect.usage === "server" ? serverAuth : clientAuth;
  if (!(cert.keyUsage ?? []).includes(usage)) return `it lacks the ${expect.usage}Auth usage`;
  if (expect.commonName !== undefined) {
    const subject = subjectOf(cert);
    if (subject.commonName !== expect.commonName) return `its CN is not ${expect.commonName}`;
    const wanted = [...(expect.organizations ?? [])].sort().join(",");
    if ([...subject.organizations].sort().join(",") !== wanted) {
      return `its organizations are not ${wanted}`;
    }
  }
  return undefined;
}

/** CN and O entries of a certificate's subject. */
export function subjectOf(cert: X509Certificate): { commonName: string; organizations: string[] } {
  const lines = cert.subject.split("\n");
  const values = (type: string) =>
    lines.filter((l) => l.startsWith(`${type}=`)).map((l) => l.slice(type.length + 1));
  return { commonName: values("CN")[0] ?? "", organizations: values("O") };
}
