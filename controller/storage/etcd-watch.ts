import { status, type ClientDuplexStream, type ServiceError } from "@grpc/grpc-js";
import { asBerthError, internal, unavailable } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { EtcdConnection } from "./etcd-connection.js";
import { fromGrpcError, isTransientStreamEnd } from "./etcd-errors.js";
import type { WatchRequest, WatchResponse } from "./etcd-messages.js";
import { etcdMethods } from "./etcd-proto.js";
import { keyBytes, prefixRangeEnd } from "./key-range.js";
import { CompactedError, type StoreWatch, type StoreWatchHandlers } from "./store.js";
import { interpretWatchResponse } from "./watch-response.js";

export interface EtcdWatchParams {
  connection: EtcdConnection;
  logger: Logger;
  prefix: string;
  /** Deliver events after this revision. */
  fromRevision: number;
  handlers: StoreWatchHandlers;
  /** How long etcd may stay unreachable before the watch ends with Unavailable. */
  unavailableTimeoutMs: number;
  /** Called once when the watch ends, however it ends. */
  onEnd: () => void;
}

const maxRetryDelayMs = 1000;

/**
 * One Store watch on its own etcd Watch stream. A stream per watch rather than one multiplexed
 * stream per Store: HTTP/2 already multiplexes the streams over the endpoint's one connection, so
 * a stream costs little, while each watch can then break, resume from its own revision, hit
 * compaction or be closed without any bookkeeping by watch_id or effect on the other watches.
 */
export class EtcdWatch implements StoreWatch {
  private deliveredUpTo: number;
  private stream?: ClientDuplexStream<WatchRequest, WatchResponse>;
  private endpointIndex = 0;
  private ended = false;
  private retries = 0;
  private retryTimer?: NodeJS.Timeout;
  private giveUpTimer?: NodeJS.Timeout;

  constructor(private readonly p: EtcdWatchParams) {
    this.deliveredUpTo = p.fromRevision;
  }

  start(): void {
    this.open();
  }

  close(): void {
    this.end();
  }

  /** Ends the watch with `err` passed to onError. */
  failWith(err: Error): void {
    this.fail(err);
  }

  private open(): void {
    this.retryTimer = undefined;
    if (this.ended) return;
    let opened;
    try {
      opened = this.p.connection.openStream(etcdMethods().watch);
    } catch (err) {
      this.fail(asBerthError(err));
      return;
    }
    const { stream, endpointIndex } = opened;
    this.stream = stream;
    this.endpointIndex = endpointIndex;
    stream.on("data", (response: WatchResponse) => this.receive(stream, response));
    stream.on("error", (err: ServiceError) => this.broken(stream, err));
    stream.on("end", () => this.broken(stream, undefined));
    stream.write({
      create_request: {
        key: keyBytes(this.p.prefix),
        range_end: prefixRangeEnd(this.p.prefix),
        start_revision: this.deliveredUpTo + 1,
        progress_notify: true,
        prev_kv: true,
      },
    });
  }

  private receive(
    stream: ClientDuplexStream<WatchRequest, WatchResponse>,
    response: WatchResponse,
  ) {
    if (this.ended || stream !== this.stream) return;
    let step;
    try {
      step = interpretWatchResponse(response, this.deliveredUpTo);
    } catch (err) {
      this.fail(asBerthError(err));
      return;
    }
    switch (step.kind) {
      case "created":
        this.recovered();
        return;
      case "compacted":
        this.fail(new CompactedError(this.deliveredUpTo, step.compacted));
        return;
      case "canceled":
        this.fail(internal(`etcd canceled the watch on ${this.p.prefix}: ${step.reason}`));
        return;
      case "progress":
        this.deliveredUpTo = Math.max(this.deliveredUpTo, step.revision);
        this.deliver(() => this.p.handlers.onProgress?.(this.deliveredUpTo));
        return;
      case "events":
        for (const event of step.events) {
          if (!this.deliver(() => this.p.handlers.onEvent(event))) return;
        }
        this.deliveredUpTo = step.upTo;
    }
  }

  /** The stream failed or ended: open a new one from the next undelivered revision. */
  private broken(stream: ClientDuplexStream<WatchRequest, WatchResponse>, err?: ServiceError) {
    if (this.ended || stream !== this.stream) return;
    this.stream = undefined;
    stream.cancel();
    const endpoint = this.p.connection.endpoints[this.endpointIndex].url;
    const code = err?.code ?? status.OK;
    if (!isTransientStreamEnd(code)) {
      this.fail(fromGrpcError(err, { endpoint, what: `watch ${this.p.prefix}` }));
      return;
    }
    this.p.logger.warn("etcd watch stream broke; resuming", {
      prefix: this.p.prefix,
      endpoint,
      code,
      details: err?.details,
      resumeFrom: this.deliveredUpTo + 1,
    });
    this.p.connection.endpointFailed(this.endpointIndex);
    this.giveUpTimer ??= setTimeout(() => {
      const seconds = this.p.unavailableTimeoutMs / 1000;
      const endpoints = this.p.connection.endpoints.map((e) => e.url).join(", ");
      this.fail(
        unavailable(
          `etcd (${endpoints}) unreachable for ${seconds} s: the watch on ${this.p.prefix} ended`,
        ),
      );
    }, this.p.unavailableTimeoutMs);
    const delay = Math.min(100 * 2 ** this.retries, maxRetryDelayMs);
    this.retries++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private recovered(): void {
    clearTimeout(this.giveUpTimer);
    this.giveUpTimer = undefined;
    this.retries = 0;
  }

  /** Runs a handler; one that throws ends the watch (its error goes to onError). */
  private deliver(handler: () => void): boolean {
    try {
      handler();
    } catch (err) {
      this.p.logger.error("watch handler failed", { prefix: this.p.prefix, error: String(err) });
      this.fail(asBerthError(err));
    }
    return !this.ended;
  }

  private fail(err: Error): void {
    if (this.ended) return;
    this.end();
    try {
      this.p.handlers.onError(err);
    } catch (handlerErr) {
      this.p.logger.error("watch onError handler failed", {
        prefix: this.p.prefix,
        error: String(handlerErr),
      });
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.giveUpTimer);
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
    this.p.onEnd();
  }
}
