import type { Container, Pod } from "../../kube/types.js";
import { hostPort, httpGet, HttpGetError, type HttpGetRequest } from "../prober/http-client.js";
import { httpGetRequest, type HttpGetAction } from "../prober/http-request.js";
import type { RecordEvent } from "../prober/probe-runner.js";
import { podRef } from "../sync/sync-deps.js";

/** What Node's TLS client reports when the server answered in plain HTTP. */
const plainHttpAnswer = /wrong version number|packet length too long|http request/i;

/**
 * kubelet's HTTP lifecycle hook: a GET to the action's host (else the pod IP) and port, through
 * the probes' client. Only a transport failure fails it — any status is fine. An HTTPS request a
 * server answers in plain HTTP is retried over HTTP without Authorization, with a
 * LifecycleHTTPFallback warning on the pod, as kubelet does. Throws the transport error.
 */
export async function httpHook(
  action: HttpGetAction,
  pod: Pod,
  container: Container,
  podIP: string | undefined,
  timeoutMs: number,
  recordEvent: RecordEvent,
): Promise<void> {
  if (!action.host && !podIP) throw new Error("failed to find networking container: no pod IP");
  const req = httpGetRequest(action, container, podIP, "lifecycle");
  try {
    await httpGet(req, timeoutMs);
  } catch (err) {
    if (req.url.protocol !== "https:" || !isPlainHttpAnswer(err)) throw err;
    await httpGet(overHttp(req), timeoutMs);
    const message = `request to HTTPS lifecycle hook ${hostPort(req.url)} got HTTP response, retry with HTTP succeeded`;
    recordEvent(podRef(pod), "Warning", "LifecycleHTTPFallback", message);
  }
}

function isPlainHttpAnswer(err: unknown): boolean {
  return err instanceof HttpGetError && err.code === "EPROTO" && plainHttpAnswer.test(err.message);
}

function overHttp(req: HttpGetRequest): HttpGetRequest {
  const url = new URL(req.url);
  url.protocol = "http:";
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== "authorization"),
  );
  return { url, headers };
}
