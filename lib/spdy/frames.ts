// SPDY/3.1 framing (draft 3.1, section 2.2): control frames carry a version and a type, data
// frames a stream id; both end their 8-byte header with flags and a 24-bit length.

export const frameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const flagFin = 0x01;

export const rstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5 };

export type SpdyFrame =
  | { control: true; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; payload: Buffer };

const version = 3;
/** Larger frames are refused: kubectl's are at most 32 KiB of data or a small header block. */
const maxPayload = 1024 * 1024;

/** Splits a byte stream into frames; throws on a frame no SPDY/3 peer sends. */
export class SpdyFrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUIntBE(5, 3);
      if (length > maxPayload) throw new Error(`a SPDY frame of ${length} bytes is too large`);
      if (this.buffered.length < 8 + length) break;
      const first = this.buffered.readUInt32BE(0);
      const flags = this.buffered[4]!;
      const payload = this.buffered.subarray(8, 8 + length);
      if (first & 0x80000000) {
        const frameVersion = (first >>> 16) & 0x7fff;
        if (frameVersion !== version) throw new Error(`SPDY version ${frameVersion} is not spoken`);
        frames.push({ control: true, type: first & 0xffff, flags, payload });
      } else {
        frames.push({ control: false, streamId: first, flags, payload });
      }
      this.buffered = this.buffered.subarray(8 + length);
    }
    return frames;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | version, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? flagFin : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

/** SYN_STREAM opening a stream (no association, priority 0), with its compressed header block. */
export function synStreamFrame(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(frameType.synStream, fin ? flagFin : 0, Buffer.concat([head, headerBlock]));
}

/** SYN_REPLY for a stream, with its already compressed header block. */
export function synReplyFrame(streamId: number, headerBlock: Buffer): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return controlFrame(frameType.synReply, 0, Buffer.concat([id, headerBlock]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(frameType.rstStream, 0, payload);
}

export function goAwayFrame(lastStreamId: number, status = 0): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(frameType.goAway, 0, payload);
}

/** The stream id a stream's control frame (SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS) names. */
export function controlStreamId(payload: Buffer): number {
  if (payload.length < 4) throw new Error("a SPDY control frame is too short for its stream id");
  return payload.readUInt32BE(0) & 0x7fffffff;
}

/** SPDY/3 name/value header block (uncompressed): a count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: [string, string][]): Buffer {
  const parts: Buffer[] = [u32(headers.length)];
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), "utf8");
    const v = Buffer.from(value, "utf8");
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** A decoded header block: names lowercased, a value with NULs split into several. */
export function decodeHeaderBlock(block: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let at = 0;
  const take = (what: string) => {
    if (at + 4 > block.length) throw new Error(`the header block ends inside a ${what} length`);
    const length = block.readUInt32BE(at);
    at += 4;
    if (at + length > block.length) throw new Error(`the header block ends inside a ${what}`);
    const value = block.toString("utf8", at, at + length);
    at += length;
    return value;
  };
  if (block.length < 4) throw new Error("the header block has no pair count");
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take("name").toLowerCase();
    const values = take("value").split("\0");
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
