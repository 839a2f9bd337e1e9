import { asObject } from "../request-body.js";
import { badRequest } from "../status.js";

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/** DeleteOptions from the body (kubectl) and the query (client libraries), the query winning. */
export function deleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const fromBody = body === undefined ? {} : asObject(body, "DeleteOptions");
  const grace = query.get("gracePeriodSeconds") ?? fromBody.gracePeriodSeconds;
  const policy = query.get("propagationPolicy") ?? fromBody.propagationPolicy;
  const options: DeleteOptions = {
    dryRun:
      query.getAll("dryRun").length > 0 ||
      (Array.isArray(fromBody.dryRun) && fromBody.dryRun.length > 0),
  };
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n))
      throw badRequest(`gracePeriodSeconds must be an integer, not ${JSON.stringify(grace)}`);
    options.gracePeriodSeconds = Math.max(n, 0);
  }
  if (policy !== undefined && policy !== null) {
    if (policy !== "Orphan" && policy !== "Background" && policy !== "Foreground") {
      throw badRequest(
        `propagationPolicy must be Orphan, Background or Foreground, not ${JSON.stringify(policy)}`,
      );
    }
    options.propagationPolicy = policy;
  } else if (fromBody.orphanDependents === true) {
    options.propagationPolicy = "Orphan";
  }
  const pre = fromBody.preconditions;
  if (pre !== undefined && pre !== null)
    options.preconditions = asObject(pre, "preconditions") as DeleteOptions["preconditions"];
  return options;
}
