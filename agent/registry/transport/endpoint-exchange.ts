import type { Logger } from "../../../lib/logger.js";
import { unauthenticated, type BerthError } from "../../../lib/errors.js";
import type { RegistryAuth, RegistryRequest, RegistryResponse } from "../registry-api.js";
import type { Authorizer } from "./authorizer.js";
import type { Endpoint, Scheme } from "./endpoints.js";
import { isConnectionError, type HttpAnswer, type HttpClient } from "./http-client.js";
import { describeErrorBody, readSome, registryStatusError } from "./registry-errors.js";
import { scopeStrings } from "./scope.js";

export type ExchangeRequest = Omit<RegistryRequest, "path">;

const redirects = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;

/**
 * One request to one endpoint: the scheme(s) it may be reached by, the 401 dance, redirects for
 * reads, and errors for statuses the caller did not say it handles.
 */
export class EndpointExchange {
  /** The scheme that last worked per endpoint, so an insecure registry is probed once. */
  private readonly workingScheme = new Map<string, Scheme>();

  constructor(
    private readonly http: HttpClient,
    private readonly authorizer: Authorizer,
    private readonly logger: Logger,
  ) {}

  /** `pathAndQuery` on the endpoint, trying its schemes in order while they cannot connect. */
  async toEndpoint(
    endpoint: Endpoint,
    pathAndQuery: string,
    req: ExchangeRequest,
    credentials: RegistryAuth | undefined,
  ): Promise<RegistryResponse> {
    const known = this.workingScheme.get(endpoint.host);
    const schemes = known
      ? [known, ...endpoint.schemes.filter((s) => s !== known)]
      : endpoint.schemes;
    const failures: string[] = [];
    for (const [i, scheme] of schemes.entries()) {
      const url = new URL(`${scheme}//${endpoint.host}${pathAndQuery}`);
      try {
        const res = await this.exchange(endpoint, url, req, credentials);
        this.workingScheme.set(endpoint.host, scheme);
        return res;
      } catch (err) {
        if (!isConnectionError(err) || i === schemes.length - 1) {
          if (failures.length > 0 && isConnectionError(err)) {
            (err as BerthError).message += ` (also failed: ${failures.join("; ")})`;
          }
          throw err;
        }
        failures.push((err as Error).message);
        this.logger.debug("registry endpoint unreachable, trying the next scheme", {
          endpoint: endpoint.host,
          scheme,
        });
      }
    }
    throw new Error("unreachable: an endpoint has at least one scheme");
  }

  /** A request to an absolute URL on (or handed out by) `endpoint`. */
  async exchange(
    endpoint: Endpoint,
    url: URL,
    req: ExchangeRequest,
    credentials: RegistryAuth | undefined,
  ): Promise<RegistryResponse> {
    const scopes = scopeStrings(req.scope);
    const what = `${req.method} ${url.pathname}`;
    this.logger.debug("registry request", {
      endpoint: endpoint.host,
      method: req.method,
      path: url.pathname,
    });
    let authorization = await this.authorizer.preauthorize(endpoint, scopes, credentials);
    let answer = await this.send(endpoint, url, req, authorization);
    if (answer.status === 401) {
      const challenge = answer.headers["www-authenticate"];
      answer.body.resume();
      authorization = await this.authorizer.answer(
        endpoint,
        challenge,
        scopes,
        credentials,
        authorization,
      );
      answer = await this.send(endpoint, url, req, authorization);
      if (answer.status === 401) {
        const said = describeErrorBody(await readSome(answer.body));
        const why = credentials
          ? "the credentials were rejected"
          : "authentication required and no credentials were given";
        throw unauthenticated(
          `registry ${endpoint.host}: ${what}: ${why}${said ? ` (${said})` : ""}`,
        );
      }
    }
    let finalUrl = url;
    for (let hops = 0; this.followable(req, answer.status) && hops < maxRedirects; hops++) {
      const location = answer.headers.location;
      if (!location) break;
      answer.body.resume();
      finalUrl = new URL(location, finalUrl);
      // Credentials stay with the registry; blob stores it redirects to get signed URLs instead.
      const sameOrigin = finalUrl.origin === url.origin;
      answer = await this.send(
        endpoint,
        finalUrl,
        req,
        sameOrigin ? authorization : undefined,
        !sameOrigin,
      );
    }
    if (answer.status >= 400 && !(req.expect ?? []).includes(answer.status)) {
      throw await registryStatusError(endpoint.host, what, answer.status, answer.body);
    }
    return {
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      host: endpoint.host,
      url: finalUrl.toString(),
    };
  }

  private followable(req: ExchangeRequest, status: number): boolean {
    return (
      (req.method === "GET" || req.method === "HEAD") &&
      redirects.has(status) &&
      !(req.expect ?? []).includes(status)
    );
  }

  private send(
    endpoint: Endpoint,
    url: URL,
    req: ExchangeRequest,
    authorization: string | undefined,
    foreign = false,
  ): Promise<HttpAnswer> {
    const headers = { ...req.headers };
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === "authorization") delete headers[name];
    if (authorization) headers.authorization = authorization;
    return this.http.send({
      method: req.method,
      url,
      headers,
      body: req.body,
      tls: foreign ? { ca: endpoint.tls.ca, skipVerify: false } : endpoint.tls,
      name: foreign ? url.host : endpoint.host,
    });
  }
}
