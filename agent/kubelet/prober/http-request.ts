import type { Container, Probe } from "../../kube/types.js";
import { joinHostPort, resolveContainerPort } from "./container-port.js";
import type { HttpGetRequest } from "./http-client.js";
import { kubeUserAgent } from "./probe-outcome.js";

export type HttpGetAction = NonNullable<Probe["httpGet"]>;

/**
 * The request an httpGet probe or hook makes, as kubelet builds it: the action's scheme, host
 * (else the pod IP), port (a number or a named container port) and path; its headers, plus a
 * User-Agent (kube-probe/1.32 or kube-lifecycle/1.32) and `Accept: *\/*` unless it sets them (an
 * empty Accept removes the header). Throws when the port cannot be resolved or there is no host.
 */
export function httpGetRequest(
  action: HttpGetAction,
  container: Container,
  podIP: string | undefined,
  purpose: "probe" | "lifecycle",
): HttpGetRequest {
  const scheme = (action.scheme ?? "HTTP").toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    throw new Error(`unsupported scheme: ${action.scheme}`);
  }
  const host = action.host || podIP;
  if (!host) throw new Error("the pod has no IP yet and the action sets no host");
  const port = resolveContainerPort(action.port, container);
  const url = new URL(`${scheme}://${joinHostPort(host, port)}`);
  const [pathname, search] = splitPath(action.path ?? "");
  url.pathname = pathname;
  url.search = search;
  return { url, headers: requestHeaders(action, purpose) };
}

function splitPath(path: string): [string, string] {
  const noFragment = path.split("#")[0];
  const q = noFragment.indexOf("?");
  const pathname = q < 0 ? noFragment : noFragment.slice(0, q);
  const search = q < 0 ? "" : noFragment.slice(q);
  return [pathname.startsWith("/") ? pathname : `/${pathname}`, search];
}

function requestHeaders(action: HttpGetAction, purpose: "probe" | "lifecycle") {
  const headers: Record<string, string[]> = {};
  const names = new Map<string, string>();
  for (const { name, value } of action.httpHeaders ?? []) {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    (headers[key] ??= []).push(value);
  }
  if (!names.has("user-agent")) headers["User-Agent"] = [kubeUserAgent(purpose)];
  const accept = names.get("accept");
  if (accept === undefined) headers["Accept"] = ["*/*"];
  else if (headers[accept].every((v) => v === "")) delete headers[accept];
  return headers;
}
