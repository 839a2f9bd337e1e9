/**
 * Kubernetes' channel framing over WebSocket (k8s.io/apiserver wsstream): every message starts
 * with the number of the channel it belongs to. Binary protocols carry that as a byte and the
 * data raw; base64 protocols as an ASCII digit ('0' + n) and the data base64-encoded, in text
 * messages. v5 adds a control message on channel 255: [255, n] means "channel n is closed" (the
 * client's end of stdin, which v4 cannot express).
 */
export interface ChannelProtocol {
  /** The subprotocol name; "" when the client offered none. */
  name: string;
  base64: boolean;
  /** 1 for the unversioned protocols, 4 or 5. */
  version: 1 | 4 | 5;
}

export const closeChannel = 255;

const known: ChannelProtocol[] = [
  { name: "v5.channel.k8s.io", base64: false, version: 5 },
  { name: "v4.channel.k8s.io", base64: false, version: 4 },
  { name: "v4.base64.channel.k8s.io", base64: true, version: 4 },
  { name: "channel.k8s.io", base64: false, version: 1 },
  { name: "base64.channel.k8s.io", base64: true, version: 1 },
];

/** exec and attach speak every version; port forwarding v4 (and the unnamed default). */
export const remoteCommandProtocols = known.map((p) => p.name);
export const portForwardProtocols = ["v4.channel.k8s.io", "v4.base64.channel.k8s.io"];

/**
 * The protocol to answer with: the first the client offered that `supported` lists, in the
 * client's order; binary v1 semantics when it offered none; undefined when none is supported.
 */
export function selectProtocol(
  offered: string[],
  supported: string[],
): ChannelProtocol | undefined {
  if (offered.length === 0) return { name: "", base64: false, version: 1 };
  const name = offered.find((p) => supported.includes(p));
  return known.find((p) => p.name === name);
}

/** The protocols a client offered in its Sec-WebSocket-Protocol header(s). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  return [header ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

export function encodeFrame(
  protocol: ChannelProtocol,
  channel: number,
  data: Buffer,
): Buffer | string {
  if (protocol.base64) return String.fromCharCode(0x30 + channel) + data.toString("base64");
  const frame = Buffer.allocUnsafe(data.length + 1);
  frame[0] = channel;
  data.copy(frame, 1);
  return frame;
}

export type DecodedFrame =
  | { kind: "data"; channel: number; data: Buffer }
  | { kind: "close"; channel: number }
  | { kind: "invalid"; why: string };

export function decodeFrame(protocol: ChannelProtocol, message: Buffer): DecodedFrame {
  if (message.length === 0) return { kind: "invalid", why: "empty message" };
  if (protocol.base64) {
    const channel = message[0]! - 0x30;
    if (channel < 0 || channel > 9) return { kind: "invalid", why: "channel is not a digit" };
    return { kind: "data", channel, data: Buffer.from(message.toString("latin1", 1), "base64") };
  }
  const channel = message[0]!;
  if (channel === closeChannel && protocol.version >= 5) {
    if (message.length < 2) return { kind: "invalid", why: "close signal without a channel" };
    return { kind: "close", channel: message[1]! };
  }
  return { kind: "data", channel, data: message.subarray(1) };
}
