import type { Readable } from "node:stream";
import type { RawData, WebSocket } from "ws";
import { relayChannel, type RemoteChannels } from "./remote-channels.js";
import {
  decodeFrame,
  encodeFrame,
  type ChannelProtocol,
  type DecodedFrame,
} from "./ws-channels.js";

/** Above this many unsent bytes a sender waits, so a fast process cannot fill the agent's memory. */
const highWaterMark = 1024 * 1024;

/** A WebSocket carrying numbered channels (see ws-channels). */
export class ChannelSocket implements RemoteChannels {
  /** Resolves when the WebSocket has closed, from either side. */
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    readonly protocol: ChannelProtocol,
  ) {
    this.closed = new Promise((resolve) => ws.once("close", () => resolve()));
    // A broken connection closes too; the error itself has nobody to tell.
    ws.on("error", () => ws.terminate());
  }

  get version(): number {
    return this.protocol.version;
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  onFrame(handler: (frame: DecodedFrame) => void): void {
    this.ws.on("message", (data: RawData) => handler(decodeFrame(this.protocol, toBuffer(data))));
  }

  /** Sends on a channel; resolves at once, or once the backlog has drained. Dropped when closed. */
  send(channel: number, data: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    const frame = encodeFrame(this.protocol, channel, data);
    if (this.ws.bufferedAmount < highWaterMark) {
      this.ws.send(frame, { binary: typeof frame !== "string" });
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.ws.send(frame, { binary: typeof frame !== "string" }, () => resolve()),
    );
  }

  /** Sends everything `source` produces on `channel`, until it ends. */
  relay(source: Readable, channel: number): Promise<void> {
    return relayChannel(this, source, channel);
  }

  close(code = 1000, reason = ""): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
