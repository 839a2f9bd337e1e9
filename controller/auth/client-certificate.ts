import type net from "node:net";
import type tls from "node:tls";
import type { UserInfo } from "./auth-api.js";

const clientAuthUsage = "1.3.6.1.5.5.7.3.2";

/**
 * The user a TLS client certificate names, as Kubernetes' x509 authenticator: user = CN, groups =
 * every O. A certificate the server's CA did not verify, or one not meant for client auth, is
 * "invalid"; no certificate at all is undefined.
 */
export function userFromClientCertificate(socket: net.Socket): UserInfo | undefined | "invalid" {
  // A connection's certificate never changes: decode it once, not on every kept-alive request.
  if (verdicts.has(socket)) return verdicts.get(socket);
  const verdict = readCertificate(socket);
  verdicts.set(socket, verdict);
  return verdict;
}

const verdicts = new WeakMap<net.Socket, UserInfo | undefined | "invalid">();

function readCertificate(socket: net.Socket): UserInfo | undefined | "invalid" {
  const tlsSocket = socket as tls.TLSSocket;
  if (typeof tlsSocket.getPeerCertificate !== "function") return undefined;
  const cert = tlsSocket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  if (tlsSocket.authorized !== true) return "invalid";
  // Without the extension any usage is allowed (RFC 5280), as Go's verifier has it.
  if (cert.ext_key_usage && !cert.ext_key_usage.includes(clientAuthUsage)) return "invalid";
  const names = values(cert.subject?.CN);
  // Go's pkix.Name keeps the last CN when there are several.
  const name = names[names.length - 1];
  if (!name) return "invalid";
  return { name, groups: values(cert.subject?.O) };
}

// Node gives a repeated subject attribute as an array, a single one as a string.
function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
