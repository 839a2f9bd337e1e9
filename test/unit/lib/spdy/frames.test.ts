import { expect } from "chai";
import zlib from "node:zlib";
import { spdyDictionary } from "../../../../lib/spdy/dictionary.js";
import {
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  frameType,
  SpdyFrameReader,
  synReplyFrame,
} from "../../../../lib/spdy/frames.js";
import { SpdyHeaderCodec } from "../../../../lib/spdy/header-codec.js";

describe("SPDY/3.1 framing for tunneled port forwarding", () => {
  it("has the spec's 1423-byte header dictionary", () => {
    expect(spdyDictionary.length).to.equal(1423);
    expect(spdyDictionary.subarray(0, 11).toString("latin1")).to.equal("\0\0\0\x07options");
    expect(spdyDictionary.toString("latin1")).to.include("\0\0\0\x06origin100101201");
    expect(spdyDictionary.subarray(-12).toString("latin1")).to.equal("utf-,*,enq=0.".slice(-12));
  });

  it("splits a byte stream into control and data frames, whatever the chunking", () => {
    const bytes = Buffer.concat([
      controlFrame(frameType.ping, 0, Buffer.from([0, 0, 0, 7])),
      dataFrame(3, Buffer.from("hello"), true),
      synReplyFrame(5, Buffer.from("xyz")),
    ]);
    const reader = new SpdyFrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames).to.deep.equal([
      { control: true, type: frameType.ping, flags: 0, payload: Buffer.from([0, 0, 0, 7]) },
      { control: false, streamId: 3, flags: 1, payload: Buffer.from("hello") },
      {
        control: true,
        type: frameType.synReply,
        flags: 0,
        payload: Buffer.from([0, 0, 0, 5, 0x78, 0x79, 0x7a]),
      },
    ]);
  });

  it("refuses another SPDY version and oversized frames", () => {
    const v2 = controlFrame(frameType.ping, 0, Buffer.alloc(4));
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new SpdyFrameReader().push(v2)).to.throw("SPDY version 2 is not spoken");
    const huge = Buffer.from([0, 0, 0, 1, 0, 0xff, 0xff, 0xff]);
    expect(() => new SpdyFrameReader().push(huge)).to.throw(/too large/);
  });

  it("encodes and decodes name/value header blocks, lowercasing names", () => {
    const block = encodeHeaderBlock([
      ["StreamType", "data"],
      ["port", "8080"],
    ]);
    expect(decodeHeaderBlock(block)).to.deep.equal(
      new Map([
        ["streamtype", ["data"]],
        ["port", ["8080"]],
      ]),
    );
    const multi = encodeHeaderBlock([["x", "a\0b"]]);
    expect(decodeHeaderBlock(multi).get("x")).to.deep.equal(["a", "b"]);
    expect(() => decodeHeaderBlock(block.subarray(0, 10))).to.throw(/ends inside/);
  });

  it("keeps one zlib stream per direction, preset with the dictionary", async () => {
    const out = new SpdyHeaderCodec("deflate");
    const back = new SpdyHeaderCodec("inflate");
    const blocks = [
      encodeHeaderBlock([["streamtype", "error"]]),
      encodeHeaderBlock([["streamtype", "data"]]),
      encodeHeaderBlock([]),
    ];
    const compressed = [];
    for (const block of blocks) compressed.push(await out.process(block));
    // The second block refers back to the first: it is smaller, and means nothing alone.
    expect(compressed[1]!.length).to.be.below(compressed[0]!.length);
    const first = zlib.inflateSync(compressed[0]!, {
      dictionary: spdyDictionary,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    expect(first).to.deep.equal(blocks[0]);
    for (const [i, block] of compressed.entries()) {
      expect(await back.process(block)).to.deep.equal(blocks[i]);
    }
    out.close();
    back.close();
  });
});
