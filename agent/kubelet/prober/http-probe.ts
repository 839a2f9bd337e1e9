import { httpGet, HttpGetError, type HttpGetRequest } from "./http-client.js";
import type { ProbeOutcome } from "./probe-outcome.js";

/**
 * kubelet's HTTP probe: 200–399 succeeds — a redirect it did not follow (to another host) with a
 * warning; any other status fails without the body in the message (it may hold secrets); a
 * connection error or timeout fails with Go's wording.
 */
export async function httpProbe(req: HttpGetRequest, timeoutMs: number): Promise<ProbeOutcome> {
  let res;
  try {
    res = await httpGet(req, timeoutMs);
  } catch (err) {
    if (err instanceof HttpGetError) return { status: "failure", output: err.message };
    throw err;
  }
  if (res.statusCode >= 200 && res.statusCode < 400) {
    if (res.statusCode >= 300) {
      return {
        status: "warning",
        output: `Probe terminated redirects, Response body: ${res.body}`,
      };
    }
    return { status: "success", output: res.body };
  }
  return { status: "failure", output: `HTTP probe failed with statuscode: ${res.statusCode}` };
}
