import { invalidArgument } from "../../../lib/errors.js";

// Protocol buffers' wire format, read by hand: the Kubernetes types are a fixed, small set, so a
// reader plus a schema table beats pulling in a protobuf library and its generated code.

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

/** A byte range of the body, as absolute offsets, so errors can point at the exact byte. */
export interface Span {
  start: number;
  end: number;
}

/** One field as it appears on the wire. */
export interface WireField {
  fieldNumber: number;
  wireType: number;
  /** Offset of the field's tag. */
  offset: number;
  /** The value of a varint, fixed32 or fixed64 field (unsigned). */
  number?: bigint;
  /** The payload of a length-delimited field. */
  span?: Span;
}

const maxVarintBytes = 10;

/** Reads fields from `body[start, end)`; every error names the absolute byte offset. */
export class WireReader {
  private position: number;

  constructor(
    private readonly body: Buffer,
    start = 0,
    private readonly end = body.length,
  ) {
    this.position = start;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  /** The next field; throws InvalidArgument on malformed input. */
  readField(): WireField {
    const offset = this.position;
    const tag = this.readVarint();
    const fieldNumber = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (fieldNumber === 0 || tag >> 3n > 0x1fffffffn) {
      throw invalidArgument(`invalid protobuf field number ${tag >> 3n} at byte ${offset}`);
    }
    switch (wireType) {
      case WireType.varint:
        return { fieldNumber, wireType, offset, number: this.readVarint() };
      case WireType.fixed64:
        return { fieldNumber, wireType, offset, number: this.readFixed(8) };
      case WireType.fixed32:
        return { fieldNumber, wireType, offset, number: this.readFixed(4) };
      case WireType.lengthDelimited:
        return { fieldNumber, wireType, offset, span: this.readLengthDelimited() };
      default:
        throw invalidArgument(`unsupported protobuf wire type ${wireType} at byte ${offset}`);
    }
  }

  /** An unsigned varint of at most 64 bits. */
  readVarint(): bigint {
    const start = this.position;
    let value = 0n;
    for (let i = 0; i < maxVarintBytes; i++) {
      if (this.position >= this.end) throw invalidArgument(`truncated varint at byte ${start}`);
      const byte = this.body[this.position++];
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw invalidArgument(`malformed varint at byte ${start}: longer than ${maxVarintBytes} bytes`);
  }

  private readFixed(size: 4 | 8): bigint {
    const start = this.position;
    if (this.end - start < size) {
      throw invalidArgument(`truncated ${size * 8}-bit value at byte ${start}`);
    }
    this.position += size;
    return size === 8 ? this.body.readBigUInt64LE(start) : BigInt(this.body.readUInt32LE(start));
  }

  private readLengthDelimited(): Span {
    const lengthAt = this.position;
    const length = this.readVarint();
    const start = this.position;
    if (length > BigInt(this.end - start)) {
      throw invalidArgument(
        `length ${length} at byte ${lengthAt} runs past the end of its message (byte ${this.end})`,
      );
    }
    this.position = start + Number(length);
    return { start, end: this.position };
  }
}

/** All varints packed into a span (a packed repeated scalar field). */
export function readPackedVarints(body: Buffer, span: Span): bigint[] {
  const reader = new WireReader(body, span.start, span.end);
  const values: bigint[] = [];
  while (!reader.done) values.push(reader.readVarint());
  return values;
}
