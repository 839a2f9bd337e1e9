import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { forbidden, unauthorized } from "./kube-status.js";

/** Who may use the node's streaming API, by client certificate. */
export interface StreamingAuthorization {
  /** Common names allowed, e.g. the controller's kubelet-client identity. */
  allowedUsers: string[];
  /** Organizations (Kubernetes groups) allowed; system:masters when not given. */
  allowedGroups?: string[];
}

/** The caller as its verified certificate names it (CN = user, O = groups). */
export interface ClientIdentity {
  user: string;
  groups: string[];
}

/** The verified client identity of a request, or undefined for an anonymous (or unverified) one. */
export function clientIdentity(req: IncomingMessage): ClientIdentity | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject as
    { CN?: string | string[]; O?: string | string[] } | undefined;
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
  const user = list(subject?.CN)[0];
  return user ? { user, groups: list(subject?.O) } : undefined;
}

/** Throws 401 without a verified certificate and 403 for one that is not allowed. */
export function authorize(
  identity: ClientIdentity | undefined,
  rules: StreamingAuthorization,
  path: string,
): ClientIdentity {
  if (!identity) throw unauthorized();
  const groups = rules.allowedGroups ?? ["system:masters"];
  if (rules.allowedUsers.includes(identity.user)) return identity;
  if (identity.groups.some((g) => groups.includes(g))) return identity;
  throw forbidden(
    `Forbidden (user=${identity.user}, groups=[${identity.groups.join(" ")}]): ` +
      `not allowed to use the node's streaming API (${path})`,
  );
}
