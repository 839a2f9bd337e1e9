import type { Logger } from "../logger.js";
import {
  controlFrame,
  controlStreamId,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  flagFin,
  frameType,
  goAwayFrame,
  rstStatus,
  rstStreamFrame,
  synReplyFrame,
  SpdyFrameReader,
  type SpdyFrame,
} from "./frames.js";
import { SpdyHeaderCodec } from "./header-codec.js";

/** What a forwarded connection reports back. */
export interface ForwardedPortEvents {
  /** Bytes from the pod's port. */
  data(chunk: Buffer): void;
  /** An explanation of a failure, as text, for the client's error stream. */
  error(message: string): void;
  /** The connection is over: the pod's port closed it, or it failed. */
  closed(): void;
}

/** One TCP connection to a pod's port, however it is reached. */
export interface ForwardedPort {
  /** Bytes for the pod's port; kept until the connection is open. */
  send(chunk: Buffer): void;
  /** Ends the connection once what was sent has gone. */
  close(): void;
}

/** What the session needs from its surroundings. */
export interface SpdyPortForwardDeps {
  /** Bytes for the client (SPDY frames). */
  send(bytes: Buffer): void;
  /** Opens a connection to the pod's port. */
  openPort(port: number, events: ForwardedPortEvents): ForwardedPort;
  /** Ends the client connection (a protocol error, or the client said GOAWAY). */
  end(): void;
  logger: Logger;
}

/** One forwarded connection: kubectl opens an error stream and a data stream per request id. */
interface Forward {
  port: number;
  errorStream?: number;
  dataStream?: number;
  connection?: ForwardedPort;
  /** Error text that arrived before the error stream did. */
  errors: string[];
  done: boolean;
  /** Streams already ended towards the client. */
  ended: Set<number>;
}

interface StreamInfo {
  type: "data" | "error";
  requestId: string;
}

/**
 * The server side of kubelet's SPDY port-forward protocol (portforward.k8s.io), spoken on an
 * upgraded connection (kubectl ≤1.30, crictl) or tunneled in a WebSocket (kubectl 1.31+): every
 * stream is answered, each request id's data stream becomes a connection to the pod's port, its
 * error text goes to the request's error stream, and both streams end when that connection does.
 */
export class SpdyPortForwardSession {
  private readonly reader = new SpdyFrameReader();
  private readonly inflater = new SpdyHeaderCodec("inflate");
  private readonly deflater = new SpdyHeaderCodec("deflate");
  private readonly streams = new Map<number, StreamInfo>();
  private readonly forwards = new Map<string, Forward>();
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly deps: SpdyPortForwardDeps) {}

  /** Bytes from the client. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      return this.fail(err);
    }
    for (const frame of frames) {
      this.incoming = this.incoming.then(() => this.handle(frame)).catch((err) => this.fail(err));
    }
  }

  /** The client connection is gone: every forwarded connection ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const forward of this.forwards.values()) forward.connection?.close();
    this.forwards.clear();
    this.inflater.close();
    this.deflater.close();
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    if (!frame.control) return this.onData(frame.streamId, frame.flags, frame.payload);
    switch (frame.type) {
      case frameType.synStream:
        return this.onSynStream(frame.payload);
      case frameType.headers:
        // Unused, but it advances the client's compression stream.
        await this.inflater.process(frame.payload.subarray(4));
        return;
      case frameType.rstStream:
        return this.onReset(controlStreamId(frame.payload));
      case frameType.ping:
        this.write(async () => controlFrame(frame.type, frame.flags, frame.payload));
        return;
      case frameType.goAway:
        this.deps.end();
        return;
      default:
        // SETTINGS and WINDOW_UPDATE: kubectl's SPDY library does no flow control.
        return;
    }
  }

  private async onSynStream(payload: Buffer): Promise<void> {
    if (payload.length < 10) throw new Error("a SYN_STREAM frame is too short");
    const streamId = controlStreamId(payload);
    this.lastStreamId = Math.max(this.lastStreamId, streamId);
    const headers = decodeHeaderBlock(await this.inflater.process(payload.subarray(10)));
    const type = headers.get("streamtype")?.[0];
    const requestId = headers.get("requestid")?.[0] ?? "";
    const portText = headers.get("port")?.[0] ?? "";
    const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
    if ((type !== "data" && type !== "error") || !(port >= 1 && port <= 65535)) {
      this.deps.logger.debug("refused a port-forward stream", { type, port: portText });
      this.write(async () => rstStreamFrame(streamId, rstStatus.refusedStream));
      return;
    }
    this.write(async () =>
      synReplyFrame(streamId, await this.deflater.process(encodeHeaderBlock([]))),
    );
    this.streams.set(streamId, { type, requestId });
    let forward = this.forwards.get(requestId);
    if (!forward) {
      forward = { port, errors: [], done: false, ended: new Set() };
      this.forwards.set(requestId, forward);
    }
    if (type === "error") {
      forward.errorStream = streamId;
      for (const message of forward.errors.splice(0)) this.sendError(forward, message);
      if (forward.done) this.finish(forward, requestId);
      return;
    }
    forward.dataStream = streamId;
    this.connect(forward, requestId);
  }

  private connect(forward: Forward, requestId: string): void {
    forward.connection = this.deps.openPort(forward.port, {
      data: (chunk) => {
        const id = forward.dataStream;
        if (id !== undefined && !this.closed) this.write(async () => dataFrame(id, chunk));
      },
      error: (message) => {
        if (forward.errorStream === undefined) forward.errors.push(message);
        else this.sendError(forward, message);
      },
      closed: () => {
        forward.done = true;
        this.finish(forward, requestId);
      },
    });
  }

  private onData(streamId: number, flags: number, payload: Buffer): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    const forward = this.forwards.get(stream.requestId);
    if (stream.type !== "data" || !forward?.connection) return;
    if (payload.length > 0) forward.connection.send(payload);
    // kubectl ends its side when the local connection ended: the pod's side cannot be half
    // closed through every path (the agent's WebSocket cannot), so the connection ends, and with it both streams.
    if (flags & flagFin) forward.connection.close();
  }

  private onReset(streamId: number): void {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    const forward = stream && this.forwards.get(stream.requestId);
    forward?.connection?.close();
  }

  private sendError(forward: Forward, message: string): void {
    const id = forward.errorStream;
    if (id === undefined || this.closed) return;
    this.write(async () => dataFrame(id, Buffer.from(message, "utf8")));
  }

  /** Ends the request's streams once its connection is over and both streams are known. */
  private finish(forward: Forward, requestId: string): void {
    if (forward.errorStream === undefined && forward.dataStream === undefined) return;
    for (const id of [forward.dataStream, forward.errorStream]) {
      if (id === undefined || forward.ended.has(id)) continue;
      forward.ended.add(id);
      this.streams.delete(id);
      this.write(async () => dataFrame(id, Buffer.alloc(0), true));
    }
    if (forward.errorStream !== undefined && forward.dataStream !== undefined) {
      this.forwards.delete(requestId);
    }
  }

  /** Queues bytes for the client, in order, even when building them takes a compression step. */
  private write(build: () => Promise<Buffer>): void {
    this.outgoing = this.outgoing
      .then(async () => {
        const bytes = await build();
        if (!this.closed) this.deps.send(bytes);
      })
      .catch((err) => this.fail(err));
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.deps.logger.warn("port forwarding stopped: the client broke the SPDY protocol", {
      error: err instanceof Error ? err.message : String(err),
    });
    this.deps.send(goAwayFrame(this.lastStreamId, 1));
    this.close();
    this.deps.end();
  }
}
