import { readFile } from "node:fs/promises";
import type tls from "node:tls";
import type { Pki } from "./pki.js";

/**
 * https.createServer options for the API server. A client certificate is asked for but not
 * required: token users have none, and a bad certificate must end as a 401 from the
 * authenticator (which reads socket.authorized), not as a failed handshake.
 */
export async function serverTlsOptions(pki: Pki): Promise<tls.TlsOptions> {
  const [cert, key] = await Promise.all([
    readFile(pki.serverCertFile, "utf8"),
    readFile(pki.serverKeyFile, "utf8"),
  ]);
  return {
    cert,
    key,
    ca: pki.caCert,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: "TLSv1.2",
  };
}
