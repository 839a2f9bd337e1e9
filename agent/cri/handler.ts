import * as grpc from "@grpc/grpc-js";
import { asBerthError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";

/**
 * Adapts an async CRI call to grpc-js: a BerthError becomes its gRPC status with its message;
 * anything else is an Internal error, logged, never a crash.
 */
export function unary<Req, Res>(
  method: string,
  logger: Logger,
  fn: (request: Req) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    fn(call.request).then(
      (response) => {
        logger.debug("cri call", { method, ms: elapsedMs(started) });
        callback(null, response);
      },
      (err: unknown) => {
        const error = asBerthError(err);
        logger.log(error.kind === "Internal" ? "error" : "debug", "cri call failed", {
          method,
          code: error.kind,
          error: error.message,
          ms: elapsedMs(started),
        });
        callback({
          code: error.grpcCode,
          details: error.message,
          name: error.kind,
          message: error.message,
        });
      },
    );
  };
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
