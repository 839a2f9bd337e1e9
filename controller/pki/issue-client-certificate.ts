import { failedPrecondition, invalidArgument } from "../../lib/errors.js";
import { generatePrivateKey, signCertificate } from "./openssl.js";
import type { IssuedCertificate, Pki } from "./pki.js";

export interface ClientCertificateRequest {
  /** Becomes the user name (system:node:<name> for a node). */
  commonName: string;
  /** Become the user's groups (system:nodes for a node). */
  organizations: string[];
  /** Validity; one year by default. */
  days?: number;
}

/** A new key and a client certificate for it, signed by the cluster CA. */
export async function issueClientCertificate(
  pki: Pki,
  request: ClientCertificateRequest,
): Promise<IssuedCertificate> {
  if (pki.caKeyFile === undefined) {
    throw failedPrecondition(
      "cannot issue certificates: the CA key is not available (user-supplied --client-ca-file)",
    );
  }
  const days = request.days ?? 365;
  if (!Number.isInteger(days) || days < 1) {
    throw invalidArgument(`days must be a positive integer, got ${days}`, { field: "days" });
  }
  const keyPem = await generatePrivateKey();
  const certPem = await signCertificate({
    keyPem,
    caCertFile: pki.caFile,
    caKeyFile: pki.caKeyFile,
    subject: { commonName: request.commonName, organizations: request.organizations },
    days,
    usage: "client",
  });
  return { certPem, keyPem };
}
