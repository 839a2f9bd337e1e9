import type { Readable } from "node:stream";
import type { DecodedFrame } from "./ws-channels.js";

/**
 * Numbered channels a remote command or port forward runs over, whatever carries them: a
 * WebSocket's framed messages or SPDY's typed streams.
 */
export interface RemoteChannels {
  /** The protocol version (1 for the unversioned ones, up to 5): v4+ reports a Status. */
  readonly version: number;
  /** Resolves when the client's connection has closed, from either side. */
  readonly closed: Promise<void>;
  onFrame(handler: (frame: DecodedFrame) => void): void;
  /** Sends on a channel; resolves at once, or once the backlog has drained. */
  send(channel: number, data: Buffer): Promise<void>;
  /** Sends everything `source` produces on `channel`, until it ends. */
  relay(source: Readable, channel: number): Promise<void>;
  close(): void;
}

/** RemoteChannels.relay for any implementation of send(). */
export async function relayChannel(
  channels: Pick<RemoteChannels, "send">,
  source: Readable,
  channel: number,
): Promise<void> {
  try {
    for await (const chunk of source) await channels.send(channel, chunk as Buffer);
  } catch {
    // The source broke off (its process was killed): what it produced has been sent.
  }
}
