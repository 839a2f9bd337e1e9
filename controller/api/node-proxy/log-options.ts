import type { FieldCause } from "../../resources/kube-object.js";
import { forbidden, invalid, notSupported } from "../../resources/validation/field-causes.js";
import { badRequest, invalid as invalidObject } from "../status.js";
import { flagValue, integerValue } from "./query-values.js";

/** A pods/log request, checked: what the agent's /containerLogs is asked for. */
export interface PodLogRequest {
  /** The container named by the client; "" when it named none. */
  container: string;
  /** The agent's query, rebuilt from the checked options as kube-apiserver rebuilds it. */
  agentQuery: URLSearchParams;
  /** insecureSkipTLSVerifyBackend: do not verify this agent's serving certificate. */
  insecureSkipTlsVerify: boolean;
}

const streams = ["All", "Stdout", "Stderr"];
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/**
 * PodLogOptions from a pods/log query, validated as Kubernetes' ValidatePodLogOptions does:
 * a 422 `PodLogOptions "<pod>" is invalid` whose causes name the fields (tailLines ≥ 0,
 * limitBytes ≥ 1, sinceSeconds ≥ 1, not both sinceSeconds and sinceTime); a value that is not a
 * number or a time is a 400 naming its parameter.
 */
export function parsePodLogOptions(query: URLSearchParams, podName: string): PodLogRequest {
  const tailLines = integerValue(query, "tailLines");
  const limitBytes = integerValue(query, "limitBytes");
  const sinceSeconds = integerValue(query, "sinceSeconds");
  const sinceTime = timeValue(query, "sinceTime");
  const stream = query.get("stream") ?? undefined;

  const causes: FieldCause[] = [];
  if (tailLines !== undefined && tailLines < 0) {
    causes.push(invalid("tailLines", tailLines, "must be greater than or equal to 0"));
  }
  if (limitBytes !== undefined && limitBytes < 1) {
    causes.push(invalid("limitBytes", limitBytes, "must be greater than 0"));
  }
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    causes.push(forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
  } else if (sinceSeconds !== undefined && sinceSeconds < 1) {
    causes.push(invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
  }
  if (stream !== undefined && !streams.includes(stream)) {
    causes.push(notSupported("stream", stream, streams));
  }
  if (causes.length > 0) {
    throw invalidObject(
      { resource: "pods", group: "", kind: "PodLogOptions", name: podName },
      causes,
    );
  }

  const agentQuery = new URLSearchParams();
  if (flagValue(query, "follow")) agentQuery.set("follow", "true");
  if (flagValue(query, "previous")) agentQuery.set("previous", "true");
  if (flagValue(query, "timestamps")) agentQuery.set("timestamps", "true");
  if (sinceSeconds !== undefined) agentQuery.set("sinceSeconds", String(sinceSeconds));
  if (sinceTime !== undefined) agentQuery.set("sinceTime", sinceTime);
  if (tailLines !== undefined) agentQuery.set("tailLines", String(tailLines));
  if (limitBytes !== undefined) agentQuery.set("limitBytes", String(limitBytes));
  if (stream !== undefined && stream !== "All") agentQuery.set("stream", stream);
  return {
    container: query.get("container") ?? "",
    agentQuery,
    insecureSkipTlsVerify: flagValue(query, "insecureSkipTLSVerifyBackend"),
  };
}

// metav1.Time from a query: RFC 3339, passed on at whole seconds as kube-apiserver formats it.
function timeValue(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const ms = rfc3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(`${name}: ${JSON.stringify(value)} is not an RFC 3339 time`);
  }
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
