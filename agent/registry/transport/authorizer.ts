import { createHash } from "node:crypto";
import { unauthenticated } from "../../../lib/errors.js";
import type { RegistryAuth } from "../registry-api.js";
import { basicHeader, fetchBearerToken } from "./bearer-token.js";
import { basicCredentials } from "./credentials.js";
import type { Endpoint } from "./endpoints.js";
import type { HttpClient } from "./http-client.js";
import { mergeScopes } from "./scope.js";
import type { TokenCache } from "./token-cache.js";
import { parseWwwAuthenticate, type Challenge } from "./www-authenticate.js";

/**
 * Answers registries' 401 challenges (basic, bearer) and remembers each endpoint's challenge, so
 * later requests carry credentials or a cached token up front instead of taking a 401 each.
 */
export class Authorizer {
  private readonly challenges = new Map<string, Challenge>();

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: TokenCache,
  ) {}

  /** The Authorization header to send before any challenge, if one is known to be needed. */
  async preauthorize(
    endpoint: Endpoint,
    scopes: string[],
    credentials: RegistryAuth | undefined,
  ): Promise<string | undefined> {
    if (credentials?.registryToken) return `Bearer ${credentials.registryToken}`;
    const challenge = this.challenges.get(endpoint.host);
    if (!challenge) return undefined;
    if (challenge.scheme === "bearer") {
      // The remembered challenge's own scope was for an earlier request: not merged here.
      return this.bearer(endpoint, challenge, scopes, undefined, credentials, false);
    }
    const basic = basicCredentials(credentials);
    return basic ? basicHeader(basic.username, basic.password) : undefined;
  }

  /**
   * The Authorization header to retry a request with after a 401 carrying `header`
   * (WWW-Authenticate); `sent` is what the failed request carried. Throws Unauthenticated when
   * there is nothing (new) to try.
   */
  async answer(
    endpoint: Endpoint,
    header: string | undefined,
    scopes: string[],
    credentials: RegistryAuth | undefined,
    sent: string | undefined,
  ): Promise<string> {
    if (credentials?.registryToken) {
      throw unauthenticated(`registry ${endpoint.host}: the registry token given was rejected`);
    }
    const challenges = parseWwwAuthenticate(header ?? "");
    const challenge =
      challenges.find((c) => c.scheme === "bearer" && c.params.realm) ??
      challenges.find((c) => c.scheme === "basic");
    if (!challenge) {
      throw unauthenticated(
        `registry ${endpoint.host}: authentication required, but no supported challenge was offered`,
      );
    }
    this.challenges.set(endpoint.host, challenge);
    if (challenge.scheme === "bearer") {
      // A token sent up front came from the cache and may have expired or been revoked.
      return this.bearer(
        endpoint,
        challenge,
        scopes,
        challenge.params.scope,
        credentials,
        sent !== undefined,
      );
    }
    const basic = basicCredentials(credentials);
    if (!basic) {
      throw unauthenticated(
        `registry ${endpoint.host}: authentication required and no credentials were given`,
      );
    }
    const authorization = basicHeader(basic.username, basic.password);
    if (authorization === sent) {
      throw unauthenticated(`registry ${endpoint.host}: the credentials were rejected`);
    }
    return authorization;
  }

  private async bearer(
    endpoint: Endpoint,
    challenge: Challenge,
    scopes: string[],
    challengedScope: string | undefined,
    credentials: RegistryAuth | undefined,
    renew: boolean,
  ): Promise<string> {
    const { realm, service } = challenge.params;
    // Keyed by the request's own scopes (what preauthorize knows), fetched with the challenge's too.
    const key = [endpoint.host, realm, service ?? "", scopes.join(" "), whose(credentials)].join(
      "|",
    );
    if (renew) this.tokens.delete(key);
    const token = await this.tokens.getOrFetch(key, () =>
      fetchBearerToken(this.http, {
        registry: endpoint.host,
        realm,
        service,
        scopes: mergeScopes(scopes, challengedScope),
        credentials,
        tls: endpoint.tls,
      }),
    );
    return `Bearer ${token}`;
  }
}

/** Tells credentials apart in cache keys without keeping them there. */
function whose(credentials: RegistryAuth | undefined): string {
  if (!credentials) return "anonymous";
  const { username, password, auth, identityToken } = credentials;
  return createHash("sha256")
    .update(JSON.stringify([username, password, auth, identityToken]))
    .digest("hex")
    .slice(0, 16);
}
