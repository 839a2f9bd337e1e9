import { expect } from "chai";
import type { SpdyConnection, SpdyStream } from "../../../../lib/spdy/connection.js";
import {
  JsonSplitter,
  SpdyChannels,
  spdyProtocolVersion,
} from "../../../../agent/streaming/spdy-channels.js";
import type { DecodedFrame } from "../../../../agent/streaming/ws-channels.js";
import { spdyPair } from "../../../support/spdy-pair.js";
import { waitFor } from "../../../support/wait-for.js";

const open = (client: SpdyConnection, type: string) => client.openStream([["streamType", type]]);

function readAll(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    stream.on("data", (b: Buffer) => (text += b.toString()));
    stream.once("end", () => resolve(text));
  });
}

describe("remote command channels over SPDY", () => {
  let pair: Awaited<ReturnType<typeof spdyPair>>;
  beforeEach(async () => (pair = await spdyPair()));
  afterEach(() => pair.destroy());

  it("starts once every stream the request implies is open, and maps them to channels", async () => {
    const options = { stdin: true, stdout: true, stderr: true, tty: false };
    const accepted = SpdyChannels.accept(pair.server, "v4.channel.k8s.io", options);
    const error = await open(pair.client, "error");
    const stdin = await open(pair.client, "stdin");
    const stdout = await open(pair.client, "stdout");
    const stderr = await open(pair.client, "stderr");
    const channels = await accepted;
    expect(channels.version).to.equal(4);

    const frames: DecodedFrame[] = [];
    channels.onFrame((frame) => frames.push(frame));
    stdin.end("typed");
    await waitFor("stdin and its end", async () => (frames.length === 2 ? true : undefined));
    const outputs = [readAll(stdout), readAll(stderr), readAll(error)];
    await channels.send(1, Buffer.from("out"));
    await channels.send(2, Buffer.from("err"));
    await channels.send(3, Buffer.from('{"status":"Success"}'));
    channels.close();
    expect(await Promise.all(outputs)).to.deep.equal(["out", "err", '{"status":"Success"}']);
    await pair.client.closed;
    expect(frames).to.deep.equal([
      { kind: "data", channel: 0, data: Buffer.from("typed") },
      { kind: "close", channel: 0 },
    ]);
  });

  it("reads resize messages back to back, and only waits for resize from v3 on", async () => {
    const tty = { stdin: false, stdout: true, stderr: false, tty: true };
    const accepted = SpdyChannels.accept(pair.server, "v3.channel.k8s.io", tty);
    await open(pair.client, "error");
    await open(pair.client, "stdout");
    const resize = await open(pair.client, "resize");
    const channels = await accepted;
    const sizes: string[] = [];
    channels.onFrame((frame) => {
      if (frame.kind === "data" && frame.channel === 4) sizes.push(frame.data.toString());
    });
    resize.write('{"Width":80,"Height":24}\n{"Width":100,');
    resize.write('"Height":30}\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sizes).to.deep.equal(['{"Width":80,"Height":24}', '{"Width":100,"Height":30}']);

    const other = await spdyPair();
    try {
      const v2 = SpdyChannels.accept(other.server, "v2.channel.k8s.io", tty);
      await open(other.client, "error");
      await open(other.client, "stdout");
      expect((await v2).version).to.equal(2);
    } finally {
      other.destroy();
    }
  });

  it("gives up when the client does not open its streams in time, and refuses strays", async () => {
    const options = { stdin: false, stdout: true, stderr: false, tty: false };
    const accepted = SpdyChannels.accept(pair.server, "v4.channel.k8s.io", options, 300);
    const stray = await open(pair.client, "stderr");
    const ended = new Promise((resolve) => stray.once("close", resolve));
    await open(pair.client, "error");
    let failure = "";
    await accepted.catch((err: Error) => (failure = err.message));
    expect(failure).to.match(/timed out waiting for the client to create streams/);
    await ended;
    expect(stray.wasReset, "the unexpected stream was reset").to.equal(true);
  });

  it("reads the protocol version from its name", () => {
    expect(
      ["v5.channel.k8s.io", "v4.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io", ""].map(
        spdyProtocolVersion,
      ),
    ).to.deep.equal([5, 4, 2, 1, 1]);
  });
});

describe("JSON splitter for resize streams", () => {
  it("splits objects however the bytes are cut, skipping what lies between", () => {
    const split = new JsonSplitter();
    const text = ' {"Width":1,"Height":2}\n{"a":"}{\\"","b":{"c":1}}x{"Width":3,"Height":4}';
    const out: string[] = [];
    for (const ch of text) out.push(...split.push(Buffer.from(ch)).map(String));
    expect(out).to.deep.equal([
      '{"Width":1,"Height":2}',
      '{"a":"}{\\"","b":{"c":1}}',
      '{"Width":3,"Height":4}',
    ]);
  });
});
