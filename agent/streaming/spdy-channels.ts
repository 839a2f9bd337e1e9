import type { Readable } from "node:stream";
import type { SpdyConnection, SpdyStream } from "../../lib/spdy/connection.js";
import { relayChannel, type RemoteChannels } from "./remote-channels.js";
import type { StreamOptions } from "./remote-command.js";
import { channels } from "./remote-command.js";
import type { DecodedFrame } from "./ws-channels.js";

/** What exec and attach negotiate over SPDY, newest first (kubelet's list). */
export const spdyRemoteCommandProtocols = [
  "v5.channel.k8s.io",
  "v4.channel.k8s.io",
  "v3.channel.k8s.io",
  "v2.channel.k8s.io",
  "channel.k8s.io",
];

/** kubelet's streamCreationTimeout: how long a client has to open every stream it asked for. */
export const streamCreationTimeoutMs = 30_000;

const streamChannel: Record<string, number> = {
  stdin: channels.stdin,
  stdout: channels.stdout,
  stderr: channels.stderr,
  error: channels.error,
  resize: channels.resize,
};

/** 5 for v5.channel.k8s.io … 1 for channel.k8s.io or no protocol at all. */
export function spdyProtocolVersion(protocol: string): number {
  const m = /^v(\d)\.channel\.k8s\.io$/.exec(protocol);
  return m ? Number(m[1]) : 1;
}

/**
 * A remote command's channels over SPDY, as kubelet's httpstream handlers run them: the client
 * opens one stream per channel, typed by its `streamType` header; the session starts once every
 * stream the request implies is open. stdin's FIN closes stdin; the resize stream carries
 * back-to-back JSON sizes.
 */
export class SpdyChannels implements RemoteChannels {
  readonly closed: Promise<void>;

  private constructor(
    private readonly connection: SpdyConnection,
    readonly version: number,
    private readonly streams: Map<number, SpdyStream>,
  ) {
    this.closed = connection.closed;
  }

  /** Waits for the streams the options call for; rejects (and closes) after the timeout. */
  static accept(
    connection: SpdyConnection,
    protocol: string,
    options: StreamOptions,
    timeoutMs = streamCreationTimeoutMs,
  ): Promise<SpdyChannels> {
    const version = spdyProtocolVersion(protocol);
    const expected = new Set<number>([channels.error]);
    if (options.stdin) expected.add(channels.stdin);
    if (options.stdout) expected.add(channels.stdout);
    if (options.stderr) expected.add(channels.stderr);
    if (options.tty && version >= 3) expected.add(channels.resize);
    const streams = new Map<number, SpdyStream>();
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        connection.off("stream", onStream);
        connection.destroy();
        reject(new Error(why));
      };
      const onStream = (stream: SpdyStream) => {
        const channel = streamChannel[stream.header("streamtype") ?? ""];
        if (channel === undefined || !expected.has(channel) || streams.has(channel)) {
          stream.destroy();
          return;
        }
        streams.set(channel, stream);
        if (streams.size < expected.size) return;
        settled = true;
        clearTimeout(timer);
        connection.off("stream", onStream);
        resolve(new SpdyChannels(connection, version, streams));
      };
      const timer = setTimeout(
        () => fail("timed out waiting for the client to create streams"),
        timeoutMs,
      );
      connection.on("stream", onStream);
      void connection.closed.then(() => fail("the client went away before creating its streams"));
    });
  }

  onFrame(handler: (frame: DecodedFrame) => void): void {
    const stdin = this.streams.get(channels.stdin);
    stdin?.on("data", (data: Buffer) => handler({ kind: "data", channel: channels.stdin, data }));
    stdin?.once("end", () => handler({ kind: "close", channel: channels.stdin }));
    stdin?.on("error", () => undefined);
    const resize = this.streams.get(channels.resize);
    if (resize) {
      const split = new JsonSplitter();
      resize.on("data", (chunk: Buffer) => {
        for (const data of split.push(chunk)) {
          handler({ kind: "data", channel: channels.resize, data });
        }
      });
      resize.on("error", () => undefined);
    }
  }

  send(channel: number, data: Buffer): Promise<void> {
    const stream = this.streams.get(channel);
    // SPDY needs no frame to say a stream is up: empty sends are dropped.
    if (!stream || data.length === 0 || stream.writableEnded || stream.destroyed) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      if (stream.write(data, () => resolve())) resolve();
    });
  }

  relay(source: Readable, channel: number): Promise<void> {
    return relayChannel(this, source, channel);
  }

  /** Ends every stream the server writes, then the connection (after what was queued). */
  close(): void {
    const ended = [channels.stdout, channels.stderr, channels.error].map((channel) => {
      const stream = this.streams.get(channel);
      if (!stream || stream.writableEnded || stream.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => stream.end(() => resolve()));
    });
    void Promise.all(ended).then(() => this.connection.close());
  }
}

/** Splits a byte stream of concatenated JSON objects into one buffer per object. */
export class JsonSplitter {
  private pending = "";
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (const ch of chunk.toString("utf8")) {
      if (this.depth === 0 && ch !== "{") continue;
      this.pending += ch;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === "\\") this.escaped = true;
        else if (ch === '"') this.inString = false;
      } else if (ch === '"') this.inString = true;
      else if (ch === "{") this.depth++;
      else if (ch === "}" && --this.depth === 0) {
        out.push(Buffer.from(this.pending, "utf8"));
        this.pending = "";
      }
      if (this.pending.length > 4096) this.reset();
    }
    return out;
  }

  private reset(): void {
    this.pending = "";
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}
