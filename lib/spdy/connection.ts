import { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
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
  SpdyFrameReader,
  synReplyFrame,
  synStreamFrame,
  type SpdyFrame,
} from "./frames.js";
import { SpdyHeaderCodec } from "./header-codec.js";

export type SpdyHeaders = Map<string, string[]>;

/** Writes are cut into DATA frames of at most this much: peers refuse frames over 1 MiB. */
const maxDataFrame = 64 * 1024;

/**
 * One SPDY stream as a Duplex: what the peer sends on it is read, what is written goes to the
 * peer, end() sends FIN. A peer's FIN ends the readable side; a peer's RST_STREAM (or the
 * connection going away) ends both.
 */
export class SpdyStream extends Duplex {
  /** Set when the peer reset the stream. */
  wasReset = false;
  private remoteClosed = false;
  private flushWaiters: (() => void)[] = [];

  constructor(
    private readonly connection: SpdyConnection,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super({ allowHalfOpen: true });
    this.once("finish", () => this.wakeFlushWaiters());
    this.once("close", () => this.wakeFlushWaiters());
  }

  /** The first value of a header (names are lowercase). */
  header(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  override _read(): void {
    // Data is pushed as frames arrive: kubelet's clients do no SPDY flow control either.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error) => void): void {
    const frames: Buffer[] = [];
    for (let at = 0; at < chunk.length; at += maxDataFrame) {
      frames.push(dataFrame(this.id, chunk.subarray(at, at + maxDataFrame)));
    }
    this.connection.send(Buffer.concat(frames)).then(() => this.written(done), done);
  }

  override _final(done: (err?: Error) => void): void {
    this.connection.send(dataFrame(this.id, Buffer.alloc(0), true)).then(() => done(), done);
  }

  /**
   * @internal Resolves once everything written so far (and the FIN, if end() was called) has
   * been queued on the connection, so a GOAWAY queued after it cannot overtake it.
   */
  flushed(): Promise<void> {
    if (this.destroyed || this.writableFinished) return Promise.resolve();
    if (!this.writableEnded && this.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  private written(done: () => void): void {
    done();
    // done() starts the next buffered write, if any, before it returns.
    if (!this.writableEnded && this.writableLength === 0) this.wakeFlushWaiters();
  }

  private wakeFlushWaiters(): void {
    for (const wake of this.flushWaiters.splice(0)) wake();
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    if (!this.wasReset && !(this.remoteClosed && this.writableFinished)) {
      void this.connection.send(rstStreamFrame(this.id, rstStatus.cancel)).catch(() => undefined);
    }
    this.connection.forget(this.id);
    done(err);
  }

  /** @internal Data (and FIN) from the peer. */
  receive(payload: Buffer, fin: boolean): void {
    if (this.remoteClosed) return;
    if (payload.length > 0) this.push(payload);
    if (fin) this.remoteEnd();
  }

  /** @internal The peer is done sending (FIN, RST_STREAM, or the connection ended). */
  remoteEnd(reset = false): void {
    if (reset) this.wasReset = true;
    if (!this.remoteClosed) {
      this.remoteClosed = true;
      this.push(null);
    }
    if (reset) this.destroy();
  }
}

interface PendingOpen {
  resolve(stream: SpdyStream): void;
  reject(err: Error): void;
  stream: SpdyStream;
}

/**
 * A SPDY/3.1 session over a connected socket, as Kubernetes' streaming protocols use it (the
 * client opens typed streams, the server answers each at once): the server side emits "stream"
 * for every stream the peer opens, the client side opens streams with openStream(). Frames go
 * out in order even though header compression is asynchronous. No flow control, like
 * moby/spdystream, which every Kubernetes client speaks.
 */
export class SpdyConnection extends EventEmitter<{ stream: [SpdyStream] }> {
  /** Resolves when the socket has closed, from either side. */
  readonly closed: Promise<void>;
  private readonly reader = new SpdyFrameReader();
  private readonly inflater = new SpdyHeaderCodec("inflate");
  private readonly deflater = new SpdyHeaderCodec("deflate");
  private readonly streams = new Map<number, SpdyStream>();
  private readonly opening = new Map<number, PendingOpen>();
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private lastPeerStreamId = 0;
  private ended = false;

  constructor(
    private readonly socket: Duplex,
    readonly role: "client" | "server",
    /** Bytes that arrived with the upgrade, before the socket was handed over. */
    head: Buffer = Buffer.alloc(0),
  ) {
    super();
    this.nextStreamId = role === "client" ? 1 : 2;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    // Frames that arrived before the end are still handled (header decompression is async).
    socket.once("close", () => {
      void this.incoming.then(() => this.teardown(new Error("the connection closed")));
    });
    // A peer that half-closes TCP sends nothing more; sockets that allow half-open (an HTTP
    // server's upgraded ones) would otherwise stay open forever.
    socket.once("end", () => {
      void this.incoming.then(() =>
        this.endAfterQueued(new Error("the peer closed the connection")),
      );
    });
    if (head.length > 0) this.receive(head);
  }

  /** Opens a stream with these headers; resolves once the peer answered it. */
  openStream(headers: [string, string][]): Promise<SpdyStream> {
    if (this.ended) return Promise.reject(new Error("the SPDY connection is closed"));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, localHeaders(headers));
    this.streams.set(id, stream);
    const opened = new Promise<SpdyStream>((resolve, reject) =>
      this.opening.set(id, { resolve, reject, stream }),
    );
    void this.send(async () =>
      synStreamFrame(id, await this.deflater.process(encodeHeaderBlock(headers))),
    ).catch(() => undefined);
    return opened;
  }

  /**
   * Says GOAWAY and ends the socket once everything already written to the streams (and their
   * FINs) has gone out.
   */
  close(): void {
    if (this.ended) return;
    const flushed = Promise.all([...this.streams.values()].map((stream) => stream.flushed()));
    this.teardown(undefined);
    void flushed
      .then(() => this.send(goAwayFrame(this.lastPeerStreamId)))
      .catch(() => undefined)
      .then(() => this.socket.end());
  }

  /** Ends the socket at once. */
  destroy(): void {
    this.teardown(new Error("the SPDY connection was destroyed"));
    this.socket.destroy();
  }

  /**
   * @internal Queues bytes (or the building of bytes that need the compressor) for the peer;
   * resolves once the socket took them and has room for more.
   */
  send(bytes: Buffer | (() => Promise<Buffer>)): Promise<void> {
    const write = async () => {
      const frame = typeof bytes === "function" ? await bytes() : bytes;
      if (this.socket.destroyed || this.socket.writableEnded) return;
      if (!this.socket.write(frame)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            this.socket.off("drain", done);
            this.socket.off("close", done);
            resolve();
          };
          this.socket.on("drain", done);
          this.socket.on("close", done);
        });
      }
    };
    const written = this.outgoing.then(write);
    this.outgoing = written.catch(() => undefined);
    return written;
  }

  /** @internal A stream that was destroyed locally. */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private receive(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      return this.protocolError(err);
    }
    for (const frame of frames) {
      this.incoming = this.incoming
        .then(() => this.handle(frame))
        .catch((err) => this.protocolError(err));
    }
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (!frame.control) {
      this.streams.get(frame.streamId)?.receive(frame.payload, (frame.flags & flagFin) !== 0);
      return;
    }
    switch (frame.type) {
      case frameType.synStream:
        return this.onSynStream(frame.flags, frame.payload);
      case frameType.synReply:
        return this.onSynReply(frame.flags, frame.payload);
      case frameType.headers:
        // Unused, but it advances the peer's compression stream.
        await this.inflater.process(frame.payload.subarray(4));
        return;
      case frameType.rstStream:
        return this.onReset(controlStreamId(frame.payload));
      case frameType.ping:
        // Only the peer's own pings (odd ids from a client, even from a server) are echoed.
        if (
          frame.payload.length >= 4 &&
          (frame.payload.readUInt32BE(0) % 2 === 1) === (this.role === "server")
        ) {
          void this.send(controlFrame(frame.type, 0, frame.payload)).catch(() => undefined);
        }
        return;
      case frameType.goAway:
        this.endAfterQueued(new Error("the peer said GOAWAY"));
        return;
      default:
        // SETTINGS and WINDOW_UPDATE: no flow control is done (see the class comment).
        return;
    }
  }

  private async onSynStream(flags: number, payload: Buffer): Promise<void> {
    if (payload.length < 10) throw new Error("a SYN_STREAM frame is too short");
    const id = controlStreamId(payload);
    const headers = decodeHeaderBlock(await this.inflater.process(payload.subarray(10)));
    if (this.role === "client" || this.ended || this.streams.has(id)) {
      void this.send(rstStreamFrame(id, rstStatus.refusedStream)).catch(() => undefined);
      return;
    }
    this.lastPeerStreamId = Math.max(this.lastPeerStreamId, id);
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    void this.send(async () =>
      synReplyFrame(id, await this.deflater.process(encodeHeaderBlock([]))),
    ).catch(() => undefined);
    if (flags & flagFin) stream.remoteEnd();
    this.emit("stream", stream);
  }

  private async onSynReply(flags: number, payload: Buffer): Promise<void> {
    const id = controlStreamId(payload);
    await this.inflater.process(payload.subarray(4));
    const pending = this.opening.get(id);
    if (!pending) return;
    this.opening.delete(id);
    pending.resolve(pending.stream);
    if (flags & flagFin) pending.stream.remoteEnd();
  }

  private onReset(id: number): void {
    const pending = this.opening.get(id);
    if (pending) {
      this.opening.delete(id);
      pending.reject(new Error(`the peer refused stream ${id}`));
    }
    this.streams.get(id)?.remoteEnd(true);
    this.streams.delete(id);
  }

  private protocolError(err: unknown): void {
    if (this.ended) return;
    void this.send(goAwayFrame(this.lastPeerStreamId, 1)).catch(() => undefined);
    this.endAfterQueued(err instanceof Error ? err : new Error(String(err)));
  }

  /** Ends the session now and the socket once the frames already queued are written. */
  private endAfterQueued(why: Error): void {
    this.teardown(why);
    void this.outgoing.then(() => this.socket.end());
  }

  private teardown(why: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    for (const pending of this.opening.values()) {
      pending.reject(why ?? new Error("the SPDY connection is closed"));
    }
    this.opening.clear();
    for (const stream of this.streams.values()) stream.remoteEnd();
    this.inflater.close();
    // The deflater may still be needed for frames already queued.
    void this.outgoing.then(() => this.deflater.close());
  }
}

/** Headers of a locally opened stream, looked up as the peer's are (lowercase names). */
function localHeaders(headers: [string, string][]): SpdyHeaders {
  const map: SpdyHeaders = new Map();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), value]);
  }
  return map;
}
