import { parseRfc3339Nanos } from "./cri-log-line.js";
import type { LogReadOptions, LogStreamSelection } from "./log-emitter.js";
import { badRequest } from "./kube-status.js";
import { flagParam, integerParam } from "./query-params.js";

export interface LogQuery {
  options: LogReadOptions;
  /** The previous attempt's log rather than the current one. */
  previous: boolean;
}

const streams: LogStreamSelection[] = ["All", "Stdout", "Stderr"];

/**
 * kubectl logs' options from `/containerLogs` query parameters, checked as the API server
 * checks PodLogOptions: follow, previous, timestamps, tailLines ≥ 0, limitBytes ≥ 1,
 * sinceSeconds ≥ 1 or sinceTime (RFC 3339, not both), stream All|Stdout|Stderr.
 */
export function parseLogQuery(query: URLSearchParams, now = Date.now()): LogQuery {
  const sinceSeconds = integerParam(query, "sinceSeconds", 1);
  const sinceTimeText = query.get("sinceTime") || undefined;
  if (sinceSeconds !== undefined && sinceTimeText !== undefined) {
    throw badRequest("at most one of sinceTime or sinceSeconds may be specified");
  }
  let sinceNanos: bigint | undefined;
  if (sinceSeconds !== undefined) {
    sinceNanos = BigInt(now - sinceSeconds * 1000) * 1_000_000n;
  } else if (sinceTimeText !== undefined) {
    sinceNanos = parseRfc3339Nanos(sinceTimeText);
    if (sinceNanos === undefined) {
      throw badRequest(
        `query parameter sinceTime: ${JSON.stringify(sinceTimeText)} is not an RFC 3339 time`,
      );
    }
  }
  const stream = (query.get("stream") || "All") as LogStreamSelection;
  if (!streams.includes(stream)) {
    throw badRequest(`query parameter stream: must be one of ${streams.join(", ")}`);
  }
  return {
    previous: flagParam(query, "previous"),
    options: {
      follow: flagParam(query, "follow"),
      timestamps: flagParam(query, "timestamps"),
      tailLines: integerParam(query, "tailLines", 0),
      limitBytes: integerParam(query, "limitBytes", 1),
      sinceNanos,
      stream,
    },
  };
}
