import * as grpc from "@grpc/grpc-js";
import { unavailable } from "../../lib/errors.js";
import type { EtcdEndpoint } from "./etcd-endpoints.js";
import { fromGrpcError, isEndpointFailure, wasNeverSent } from "./etcd-errors.js";
import type { EtcdMethod } from "./etcd-proto.js";

const channelOptions: grpc.ChannelOptions = {
  // etcd restarts: be back within a second, not after grpc's default backoff of up to 2 minutes.
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 1000,
  // A list of many objects easily exceeds grpc's default 4 MiB response limit.
  "grpc.max_receive_message_length": -1,
  // Notices a peer gone silent (no RST) under a long watch; etcd refuses pings under 5 s apart.
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
  // HTTP/2's default 64 KiB window lets a busy controller throttle a watch to one window per
  // event-loop turn; one watch per resource (the watch cache) carries every change of it.
  "grpc-node.flow_control_window": 16 * 1024 * 1024,
};

export interface CallOptions {
  /** For error messages: "get /registry/pods/default/web". */
  what: string;
  /**
   * idempotent: on Unavailable or a timeout, try the next endpoint. unsent: only when the call
   * never reached the endpoint, so a write that may have been applied is not sent twice.
   */
  retry: "idempotent" | "unsent";
  /** The revision read at, for CompactedError. */
  revision?: number;
  timeoutMs?: number;
}

/**
 * One gRPC channel per etcd endpoint, used for every service. Calls go to the endpoint that
 * answered last and move on to the next when it is unavailable.
 */
export class EtcdConnection {
  private readonly clients: grpc.Client[];
  private current = 0;
  private closed = false;

  constructor(
    readonly endpoints: EtcdEndpoint[],
    private readonly requestTimeoutMs: number,
  ) {
    this.clients = endpoints.map(
      (e) =>
        new grpc.Client(
          e.target,
          e.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(),
          channelOptions,
        ),
    );
  }

  async call<Req, Res>(
    method: EtcdMethod<Req, Res>,
    request: Req,
    options: CallOptions,
  ): Promise<Res> {
    let lastError: Error | undefined;
    for (let tried = 0; tried < this.clients.length; tried++) {
      this.checkOpen();
      const index = (this.current + tried) % this.clients.length;
      try {
        const response = await this.unary(index, method, request, options.timeoutMs);
        this.current = index;
        return response;
      } catch (err) {
        const endpoint = this.endpoints[index].url;
        lastError = fromGrpcError(err, {
          endpoint,
          what: options.what,
          revision: options.revision,
        });
        const tryNext = options.retry === "idempotent" ? isEndpointFailure(err) : wasNeverSent(err);
        if (!tryNext) throw lastError;
      }
    }
    throw lastError ?? unavailable("etcd: no endpoint to call");
  }

  /** A bidirectional stream on the current endpoint (for watches, which have no deadline). */
  openStream<Req, Res>(
    method: EtcdMethod<Req, Res>,
  ): { stream: grpc.ClientDuplexStream<Req, Res>; endpointIndex: number } {
    this.checkOpen();
    const endpointIndex = this.current;
    const stream = this.clients[endpointIndex].makeBidiStreamRequest(
      method.path,
      method.serialize,
      method.deserialize,
    );
    return { stream, endpointIndex };
  }

  /** After a stream on `endpointIndex` failed: let the next one be tried (if it is still current). */
  endpointFailed(endpointIndex: number): void {
    if (this.current === endpointIndex) this.current = (endpointIndex + 1) % this.clients.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.clients) client.close();
  }

  private checkOpen(): void {
    if (this.closed) throw unavailable("the etcd store is closed");
  }

  private unary<Req, Res>(
    index: number,
    method: EtcdMethod<Req, Res>,
    request: Req,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.clients[index].makeUnaryRequest(
        method.path,
        method.serialize,
        method.deserialize,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, response) => (err || response === undefined ? reject(err) : resolve(response)),
      );
    });
  }
}
