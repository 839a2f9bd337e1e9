import type { Readable } from "node:stream";
import { unauthenticated, unavailable } from "../../../lib/errors.js";
import type { RegistryAuth } from "../registry-api.js";
import { basicCredentials } from "./credentials.js";
import type { HttpClient, TlsSettings } from "./http-client.js";
import { describeErrorBody, errorForStatus } from "./registry-errors.js";

export interface TokenRequest {
  /** The registry endpoint being authenticated to (host[:port]), for messages. */
  registry: string;
  realm: string;
  service?: string;
  scopes: string[];
  credentials?: RegistryAuth;
  tls: TlsSettings;
}

/**
 * Gets a bearer token from a registry's token realm (distribution token spec): GET with service
 * and scopes, as the user when there are credentials; with an identity (refresh) token, the
 * OAuth2 POST form instead.
 */
export async function fetchBearerToken(
  client: HttpClient,
  req: TokenRequest,
): Promise<{ token: string; expiresInS?: number }> {
  let url: URL;
  try {
    url = new URL(req.realm);
  } catch {
    throw unavailable(`registry ${req.registry}: its token realm is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw unavailable(`registry ${req.registry}: its token realm is not an http(s) URL`);
  }
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  let method = "GET";
  const refreshToken = req.credentials?.identityToken;
  if (refreshToken) {
    method = "POST";
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "berth",
    });
    if (req.service) form.set("service", req.service);
    if (req.scopes.length > 0) form.set("scope", req.scopes.join(" "));
    body = Buffer.from(form.toString());
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else {
    if (req.service) url.searchParams.set("service", req.service);
    for (const scope of req.scopes) url.searchParams.append("scope", scope);
    const basic = basicCredentials(req.credentials);
    if (basic) {
      url.searchParams.set("account", basic.username);
      headers.authorization = basicHeader(basic.username, basic.password);
    }
  }
  // Skipping verification was granted to the registry's host, not to wherever its realm points.
  const tls = url.host === req.registry ? req.tls : { ...req.tls, skipVerify: false };
  const answer = await client.send({ method, url, headers, body, tls, name: url.host });
  const text = await readText(answer.body);
  if (answer.status !== 200) {
    const said = describeErrorBody(text);
    const message = `registry ${req.registry}: token server ${url.host} refused a token: HTTP ${answer.status}${said ? `: ${said}` : ""}`;
    throw answer.status === 401 || answer.status === 403
      ? unauthenticated(message)
      : errorForStatus(answer.status, message);
  }
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw unavailable(`registry ${req.registry}: token server ${url.host} answered without JSON`);
  }
  const token =
    typeof parsed.token === "string" && parsed.token ? parsed.token : parsed.access_token;
  if (typeof token !== "string" || token === "") {
    throw unavailable(
      `registry ${req.registry}: token server ${url.host} answered without a token`,
    );
  }
  const expiresInS = typeof parsed.expires_in === "number" ? parsed.expires_in : undefined;
  return { token, expiresInS };
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

const maxTokenResponse = 1024 * 1024;

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > maxTokenResponse) {
      body.destroy();
      throw unavailable("token server answer is larger than 1 MiB");
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
