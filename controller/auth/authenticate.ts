import type http from "node:http";
import { silentLogger, type Logger } from "../../lib/logger.js";
import type { UserInfo } from "./auth-api.js";
import { bearerToken } from "./bearer-token.js";
import { userFromClientCertificate } from "./client-certificate.js";
import { watchTokenFile, type TokenSource } from "./token-file.js";
import { authenticatedGroup } from "./well-known.js";

/**
 * A user; undefined when the request carries no credentials; "invalid" when it carries only
 * credentials that fail (an unknown token, a certificate from another CA). Both of the latter
 * are 401, except that the health paths admit requests without credentials.
 */
export type AuthenticationResult = UserInfo | undefined | "invalid";

export type Authenticator = (req: http.IncomingMessage) => AuthenticationResult;

export interface AuthenticatorOptions {
  /** Kubernetes' static token file (CSV: token,user,uid,"group1,group2"). */
  tokenFile?: string;
  logger?: Logger;
}

/**
 * Client certificates, then bearer tokens; as Kubernetes' union authenticator, the first success
 * wins, so a valid certificate with a wrong token still authenticates. Throws at creation when the
 * token file cannot be loaded.
 */
export function createAuthenticator(options: AuthenticatorOptions = {}): Authenticator {
  const logger = options.logger ?? silentLogger();
  const tokens: TokenSource | undefined =
    options.tokenFile === undefined ? undefined : watchTokenFile(options.tokenFile, logger);
  return (req) => {
    const fromCertificate = userFromClientCertificate(req.socket);
    if (fromCertificate !== undefined && fromCertificate !== "invalid") {
      return withAuthenticatedGroup(fromCertificate);
    }
    const token = bearerToken(req);
    if (token !== undefined) {
      const user = tokens?.lookup(token);
      return user ? withAuthenticatedGroup(user) : "invalid";
    }
    return fromCertificate;
  };
}

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  const groups = user.groups.includes(authenticatedGroup)
    ? [...user.groups]
    : [...user.groups, authenticatedGroup];
  return { ...user, groups };
}

/** Paths answered without credentials (anonymous auth is otherwise off). */
export function isPublicPath(path: string): boolean {
  return /^\/(healthz|livez|readyz)(\/.*)?$/.test(path);
}
