import { status, type ServiceError } from "@grpc/grpc-js";
import { internal } from "../../lib/errors.js";
import type { EtcdConnection } from "../storage/etcd-connection.js";
import { isServiceError } from "../storage/etcd-errors.js";
import type { LeaseKeepAliveResponse } from "../storage/etcd-messages.js";
import { etcdMethods } from "../storage/etcd-proto.js";
import type { Clock } from "./clock.js";
import type { OpenKeepAlive } from "./lease-keeper.js";

export interface GrantedLease {
  /** etcd's lease ID, a decimal string (IDs use all 63 bits). */
  id: string;
  /** The TTL etcd granted (it may raise the one asked for to its minimum). */
  ttlSeconds: number;
  /** When the grant was sent, on `clock`: the lease lasts at least until then + TTL. */
  sentAt: number;
}

export async function grantLease(
  connection: EtcdConnection,
  ttlSeconds: number,
  clock: Clock,
): Promise<GrantedLease> {
  const sentAt = clock.now();
  // A grant applied twice only leaves an unused lease to expire: retry only when never sent.
  const response = await connection.call(
    etcdMethods().leaseGrant,
    { TTL: ttlSeconds },
    { what: `grant a ${ttlSeconds} s lease`, retry: "unsent" },
  );
  const granted = Number(response.TTL);
  if (response.error || response.ID === "0" || !(granted > 0)) {
    throw internal(
      `etcd did not grant a lease: ${response.error || `ID ${response.ID}, TTL ${response.TTL}`}`,
    );
  }
  return { id: response.ID, ttlSeconds: granted, sentAt };
}

/** Revokes a lease, deleting its keys at once. "gone": it had expired or was revoked already. */
export async function revokeLease(
  connection: EtcdConnection,
  id: string,
  timeoutMs: number,
): Promise<"revoked" | "gone"> {
  try {
    await connection.call(
      etcdMethods().leaseRevoke,
      { ID: id },
      { what: `revoke lease ${id}`, retry: "idempotent", timeoutMs },
    );
    return "revoked";
  } catch (err) {
    if (grpcCode(err) === status.NOT_FOUND) return "gone";
    throw err;
  }
}

/** Keep-alive streams for lease `id` on the connection's current endpoint. */
export function keepAliveOpener(connection: EtcdConnection, id: string): OpenKeepAlive {
  return (handlers) => {
    const { stream, endpointIndex } = connection.openStream(etcdMethods().leaseKeepAlive);
    let closed = false;
    stream.on("data", (response: LeaseKeepAliveResponse) => handlers.answered(response));
    stream.on("error", (err: ServiceError) => {
      if (closed) return;
      connection.endpointFailed(endpointIndex);
      handlers.broken(`${connection.endpoints[endpointIndex].url}: ${err.details || err.message}`);
    });
    stream.on("end", () => {
      if (!closed) handlers.broken("etcd ended the keep-alive stream");
    });
    return {
      renew: () => {
        if (!closed) stream.write({ ID: id });
      },
      close: () => {
        if (closed) return;
        closed = true;
        stream.cancel();
      },
    };
  };
}

/** The gRPC status of a failed call, also when wrapped as the cause of a lib/errors error. */
function grpcCode(err: unknown): number | undefined {
  if (isServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return isServiceError(cause) ? cause.code : undefined;
}
