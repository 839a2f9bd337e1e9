import * as grpc from "@grpc/grpc-js";
import { joinHostPort } from "./container-port.js";
import { decodeStatus, encodeRequest, servingStatusName } from "./grpc-health-codec.js";
import { goDuration, kubeUserAgent, type ProbeOutcome } from "./probe-outcome.js";

const checkMethod = "/grpc.health.v1.Health/Check";

/**
 * kubelet's gRPC probe: grpc.health.v1.Health/Check over plaintext, connecting and answering
 * within the timeout. SERVING succeeds; anything else — another status, no connection, no health
 * service — fails with kubelet's message.
 */
export async function grpcProbe(
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const deadline = Date.now() + timeoutMs;
  const client = new grpc.Client(addr, grpc.credentials.createInsecure(), {
    "grpc.primary_user_agent": kubeUserAgent("probe"),
    "grpc.enable_http_proxy": 0,
    "grpc.enable_retries": 0,
  });
  try {
    try {
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(deadline, (err) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      const output =
        Date.now() >= deadline
          ? `timeout: failed to connect service "${addr}" within ${goDuration(timeoutMs)}: context deadline exceeded`
          : `error: failed to connect service at "${addr}": ${(err as Error).message}`;
      return { status: "failure", output };
    }
    return await check(client, service, deadline, timeoutMs);
  } finally {
    client.close();
  }
}

function check(
  client: grpc.Client,
  service: string,
  deadline: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      checkMethod,
      encodeRequest,
      decodeStatus,
      service,
      new grpc.Metadata(),
      { deadline },
      (err, status) => {
        if (err) {
          resolve({ status: "failure", output: rpcFailure(err, timeoutMs) });
        } else if (status !== 1) {
          const name = servingStatusName(status ?? 0);
          resolve({ status: "failure", output: `service unhealthy (responded with "${name}")` });
        } else {
          resolve({ status: "success", output: "service is serving" });
        }
      },
    );
  });
}

function rpcFailure(err: grpc.ServiceError, timeoutMs: number): string {
  switch (err.code) {
    case grpc.status.UNIMPLEMENTED:
      return `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}`;
    case grpc.status.DEADLINE_EXCEEDED:
      return `timeout: health rpc did not complete within ${goDuration(timeoutMs)}`;
    default:
      return `error: health rpc probe failed: rpc error: code = ${grpc.status[err.code]} desc = ${err.details}`;
  }
}
