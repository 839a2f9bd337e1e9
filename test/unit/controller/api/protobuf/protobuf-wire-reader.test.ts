import { expect } from "chai";
import { isBerthError } from "../../../../../lib/errors.js";
import {
  readPackedVarints,
  WireReader,
} from "../../../../../controller/api/protobuf/protobuf-wire-reader.js";
import { fixed32, fixed64, int, message, str, varintBytes } from "./protobuf-writer.js";

function readError(body: Buffer, read: (reader: WireReader) => unknown): string {
  try {
    read(new WireReader(body));
  } catch (err) {
    expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
    return (err as Error).message;
  }
  throw new Error("expected the read to fail");
}

describe("protobuf wire reader", () => {
  it("reads varints of one, two and ten bytes", () => {
    expect(new WireReader(Buffer.from([0x05])).readVarint()).to.equal(5n);
    expect(new WireReader(Buffer.from([0xac, 0x02])).readVarint()).to.equal(300n);
    const max = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(new WireReader(max).readVarint()).to.equal(2n ** 64n - 1n);
  });

  it("reads fields of every supported wire type with their offsets", () => {
    const body = message(int(1, 150), str(2, "hi"), fixed32(3, 7), fixed64(4, 9n));
    const reader = new WireReader(body);
    const fields = [];
    while (!reader.done) fields.push(reader.readField());
    expect(fields.map((f) => [f.fieldNumber, f.wireType, f.offset])).to.deep.equal([
      [1, 0, 0],
      [2, 2, 3],
      [3, 5, 7],
      [4, 1, 12],
    ]);
    expect(fields[0].number).to.equal(150n);
    expect(body.toString("utf8", fields[1].span!.start, fields[1].span!.end)).to.equal("hi");
    expect(fields[2].number).to.equal(7n);
    expect(fields[3].number).to.equal(9n);
  });

  it("reads packed varints", () => {
    const packed = Buffer.concat([varintBytes(1), varintBytes(300), varintBytes(-1)]);
    expect(readPackedVarints(packed, { start: 0, end: packed.length })).to.deep.equal([
      1n,
      300n,
      2n ** 64n - 1n,
    ]);
  });

  it("names the byte where a varint is cut off", () => {
    expect(readError(Buffer.from([0x08, 0x96]), (r) => r.readField())).to.equal(
      "truncated varint at byte 1",
    );
  });

  it("refuses a varint longer than ten bytes", () => {
    const body = Buffer.alloc(11, 0x80);
    expect(readError(body, (r) => r.readVarint())).to.match(/^malformed varint at byte 0/);
  });

  it("refuses a length that runs past the end", () => {
    const body = Buffer.from([0x12, 0x05, 0x61]);
    expect(readError(body, (r) => r.readField())).to.equal(
      "length 5 at byte 1 runs past the end of its message (byte 3)",
    );
  });

  it("refuses truncated fixed-width values, groups, bad wire types and field number 0", () => {
    expect(readError(Buffer.from([0x0d, 0x01]), (r) => r.readField())).to.equal(
      "truncated 32-bit value at byte 1",
    );
    expect(readError(Buffer.from([0x0b]), (r) => r.readField())).to.equal(
      "unsupported protobuf wire type 3 at byte 0",
    );
    expect(readError(Buffer.from([0x0f]), (r) => r.readField())).to.equal(
      "unsupported protobuf wire type 7 at byte 0",
    );
    expect(readError(Buffer.from([0x02, 0x00]), (r) => r.readField())).to.equal(
      "invalid protobuf field number 0 at byte 0",
    );
  });

  it("stays inside the span it was given", () => {
    const body = message(str(1, "a"), str(2, "b"));
    const reader = new WireReader(body, 0, 3);
    expect(reader.readField().fieldNumber).to.equal(1);
    expect(reader.done).to.equal(true);
  });
});
