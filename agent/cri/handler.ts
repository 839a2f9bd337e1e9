import * as grpc from "@grpc/grpc-js";
import { asBerthError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { GrpcServerMetrics } from "./metrics/grpc-server-metrics.js";

/**
 * Adapts an async CRI call to grpc-js: a BerthError becomes its gRPC status with its message;
 * anything else is an Internal error, logged, never a crash. With `metrics`, each call is counted
 * and timed by its service, method and status code.
 */
export function unary<Req, Res>(
  method: string,
  logger: Logger,
  fn: (request: Req) => Promise<Res>,
  metrics?: GrpcServerMetrics,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    const handled = metrics?.unaryStarted(call.getPath());
    fn(call.request).then(
      (response) => {
        logger.debug("cri call", { method, ms: elapsedMs(started) });
        handled?.(grpc.status.OK);
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
        handled?.(error.grpcCode);
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

/** unary() with the server's metrics bound: what createCriServer wraps every RPC with. */
export function unaryWith(metrics?: GrpcServerMetrics) {
  return <Req, Res>(method: string, logger: Logger, fn: (request: Req) => Promise<Res>) =>
    unary(method, logger, fn, metrics);
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
