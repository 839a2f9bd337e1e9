import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import { once } from "node:events";
import { SpdyConnection, type SpdyStream } from "../../../../lib/spdy/connection.js";
import {
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  flagFin,
  frameType,
  rstStatus,
  rstStreamFrame,
  SpdyFrameReader,
  synReplyFrame,
  synStreamFrame,
  type SpdyFrame,
} from "../../../../lib/spdy/frames.js";
import { SpdyHeaderCodec } from "../../../../lib/spdy/header-codec.js";
import { waitFor } from "../../../support/wait-for.js";

/** Everything a test opened, closed after it whatever happened. */
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A loopback server whose accepted sockets (and itself) are torn down after the test. */
async function listen(
  onSocket: (socket: net.Socket) => void,
  options: net.ServerOpts = {},
): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(options, (socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  cleanups.push(() => socket.destroy());
  await once(socket, "connect");
  return socket;
}

/** A client SpdyConnection talking to a server one over loopback TCP. */
async function connectedPair() {
  const servers: SpdyConnection[] = [];
  const arrived: SpdyStream[] = [];
  const waiting: ((stream: SpdyStream) => void)[] = [];
  const port = await listen((socket) => {
    const connection = new SpdyConnection(socket, "server");
    servers.push(connection);
    connection.on("stream", (stream) => {
      const waiter = waiting.shift();
      if (waiter) waiter(stream);
      else arrived.push(stream);
    });
  });
  const client = new SpdyConnection(await connect(port), "client");
  const server = await waitFor("the server side of the connection", async () => servers[0]);
  return {
    client,
    server,
    /** The next stream the server was asked to open, in arrival order. */
    nextStream(): Promise<SpdyStream> {
      const stream = arrived.shift();
      if (stream) return Promise.resolve(stream);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A hand-driven SPDY peer on a raw socket: frames in and out, its own header codecs. */
function rawPeer(socket: net.Socket) {
  const reader = new SpdyFrameReader();
  const deflater = new SpdyHeaderCodec("deflate");
  const inflater = new SpdyHeaderCodec("inflate");
  cleanups.push(() => {
    deflater.close();
    inflater.close();
  });
  const frames: SpdyFrame[] = [];
  let ended = false;
  socket.on("data", (chunk: Buffer) => frames.push(...reader.push(chunk)));
  socket.on("end", () => (ended = true));
  socket.on("error", () => undefined);
  let taken = 0;
  return {
    socket,
    frames,
    ended: () => ended,
    /** The next frame not yet taken, waiting for it to arrive. */
    next(): Promise<SpdyFrame> {
      return waitFor("a frame from the peer", async () =>
        taken < frames.length ? frames[taken++] : undefined,
      );
    },
    async synStream(id: number, headers: [string, string][], fin = false) {
      socket.write(synStreamFrame(id, await deflater.process(encodeHeaderBlock(headers)), fin));
    },
    async synReply(id: number, headers: [string, string][] = []) {
      socket.write(synReplyFrame(id, await deflater.process(encodeHeaderBlock(headers))));
    },
    headersOf(frame: SpdyFrame, offset: number): Promise<Map<string, string[]>> {
      return inflater.process(frame.payload.subarray(offset)).then(decodeHeaderBlock);
    },
  };
}

function controlOf(frame: SpdyFrame): SpdyFrame & { control: true } {
  if (!frame.control) throw new Error(`expected a control frame, got data on ${frame.streamId}`);
  return frame;
}

function ping(id: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(id);
  return controlFrame(frameType.ping, 0, payload);
}

function collect(stream: SpdyStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return once(stream, "end").then(() => Buffer.concat(chunks));
}

function sha(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Records unhandled rejections for the duration of a test. */
function watchUnhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  cleanups.push(() => process.off("unhandledRejection", listener));
  return seen;
}

describe("SpdyConnection over loopback TCP", function () {
  this.timeout(20_000);

  it("opens streams whose headers arrive with the server's stream events, in order", async () => {
    const { client, nextStream } = await connectedPair();
    const opened = await Promise.all([
      client.openStream([["streamType", "error"]]),
      client.openStream([
        ["streamType", "stdout"],
        ["requestID", "7"],
      ]),
      client.openStream([["streamType", "stdin"]]),
    ]);
    expect(opened.map((s) => s.id)).to.deep.equal([1, 3, 5]);
    const arrived = [await nextStream(), await nextStream(), await nextStream()];
    expect(arrived.map((s) => s.id)).to.deep.equal([1, 3, 5]);
    expect(arrived.map((s) => s.header("streamtype"))).to.deep.equal(["error", "stdout", "stdin"]);
    expect(arrived[1]!.header("requestid")).to.equal("7");
    expect(arrived[0]!.header("requestid")).to.equal(undefined);
    expect(opened[1]!.header("streamtype")).to.equal("stdout", "local names are lowercased too");
  });

  it("carries data both ways in order", async () => {
    const { client, nextStream } = await connectedPair();
    const stream = await client.openStream([["streamType", "data"]]);
    const peer = await nextStream();
    const upstream = collect(peer);
    const downstream = collect(stream);
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}\n`);
    for (const line of lines) {
      stream.write(line);
      peer.write(line.toUpperCase());
    }
    stream.end();
    peer.end();
    expect((await upstream).toString()).to.equal(lines.join(""));
    expect((await downstream).toString()).to.equal(lines.join("").toUpperCase());
  });

  it("moves 5 MiB through one stream each way, byte for byte", async () => {
    const { client, nextStream } = await connectedPair();
    const up = randomBytes(5 * 1024 * 1024);
    const down = randomBytes(5 * 1024 * 1024);
    const stream = await client.openStream([["streamType", "data"]]);
    const peer = await nextStream();
    const received = collect(peer);
    const returned = collect(stream);
    stream.end(up);
    peer.end(down);
    const [got, back] = await Promise.all([received, returned]);
    expect(got.length).to.equal(up.length);
    expect(sha(got)).to.equal(sha(up));
    expect(back.length).to.equal(down.length);
    expect(sha(back)).to.equal(sha(down));
  });

  it("half-closes: the server keeps writing after the client's FIN", async () => {
    const { client, nextStream } = await connectedPair();
    const stream = await client.openStream([["streamType", "stdin"]]);
    const peer = await nextStream();
    const fromClient = collect(peer);
    const fromServer = collect(stream);
    stream.end("input");
    expect((await fromClient).toString()).to.equal("input");
    peer.write("after ");
    peer.write("your ");
    peer.end("FIN");
    expect((await fromServer).toString()).to.equal("after your FIN");
    expect(stream.wasReset).to.equal(false);
    expect(peer.wasReset).to.equal(false);
  });

  it("half-closes the other way: the client keeps writing after the server's FIN", async () => {
    const { client, nextStream } = await connectedPair();
    const stream = await client.openStream([["streamType", "data"]]);
    const peer = await nextStream();
    const fromServer = collect(stream);
    const fromClient = collect(peer);
    peer.end("bye");
    expect((await fromServer).toString()).to.equal("bye");
    stream.end("still here");
    expect((await fromClient).toString()).to.equal("still here");
  });

  for (const resetter of ["client", "server"] as const) {
    it(`ends the other side's stream when the ${resetter} resets it`, async () => {
      const { client, nextStream } = await connectedPair();
      const mine = await client.openStream([["streamType", "data"]]);
      const theirs = await nextStream();
      const [reset, other] = resetter === "client" ? [mine, theirs] : [theirs, mine];
      other.on("error", () => undefined);
      const otherClosed = once(other, "close");
      reset.destroy();
      await otherClosed;
      expect(other.wasReset).to.equal(true);
      expect(reset.wasReset).to.equal(false);
      // Both streams are gone, the connection is not: another stream still works.
      const next = await client.openStream([["streamType", "again"]]);
      const nextPeer = await nextStream();
      const got = collect(nextPeer);
      next.end("ok");
      expect((await got).toString()).to.equal("ok");
    });
  }

  it("rejects openStream when the server refuses the stream, and goes on", async () => {
    const raws: ReturnType<typeof rawPeer>[] = [];
    const port = await listen((socket) => raws.push(rawPeer(socket)));
    const client = new SpdyConnection(await connect(port), "client");
    const raw = await waitFor("the raw server", async () => raws[0]);

    const refused = client.openStream([["streamType", "nope"]]);
    const syn = controlOf(await raw.next());
    expect(syn.type).to.equal(frameType.synStream);
    expect((await raw.headersOf(syn, 10)).get("streamtype")).to.deep.equal(["nope"]);
    raw.socket.write(rstStreamFrame(1, rstStatus.refusedStream));
    let error: Error | undefined;
    await refused.catch((err: Error) => (error = err));
    expect(error?.message).to.match(/refused stream 1/);

    // The compression contexts stayed in step: the next stream opens and carries its headers.
    const accepted = client.openStream([["streamType", "yes"]]);
    const syn3 = controlOf(await raw.next());
    expect(syn3.payload.readUInt32BE(0)).to.equal(3);
    expect((await raw.headersOf(syn3, 10)).get("streamtype")).to.deep.equal(["yes"]);
    await raw.synReply(3, [["ok", "1"]]);
    const stream = await accepted;
    const got = collect(stream);
    raw.socket.write(dataFrame(3, Buffer.from("hi"), true));
    expect((await got).toString()).to.equal("hi");
  });

  it("rejects openStream when the connection ends before the reply, and after it closed", async () => {
    const raws: ReturnType<typeof rawPeer>[] = [];
    const port = await listen((socket) => raws.push(rawPeer(socket)));
    const client = new SpdyConnection(await connect(port), "client");
    const raw = await waitFor("the raw server", async () => raws[0]);
    const pending = client.openStream([["streamType", "error"]]);
    expect(controlOf(await raw.next()).type).to.equal(frameType.synStream);
    raw.socket.destroy();
    let error: Error | undefined;
    await pending.catch((err: Error) => (error = err));
    expect(error?.message).to.match(/closed/);
    await client.closed;
    let late: Error | undefined;
    await client.openStream([["streamType", "late"]]).catch((err: Error) => (late = err));
    expect(late?.message).to.match(/closed/);
  });

  it("close() says GOAWAY: the peer's streams end and both sockets close", async () => {
    const { client, server, nextStream } = await connectedPair();
    const a = await client.openStream([["streamType", "a"]]);
    const b = await client.openStream([["streamType", "b"]]);
    const peers = [await nextStream(), await nextStream()];
    const ends = peers.map((peer) => collect(peer));
    const clientEnds = [collect(a), collect(b)];
    a.write("before close");
    a.end();
    await new Promise<void>((resolve) => a.once("finish", resolve));
    client.close();
    expect((await ends[0]!).toString()).to.equal("before close");
    expect((await ends[1]!).toString()).to.equal("");
    await Promise.all([...clientEnds, client.closed, server.closed]);
    let error: Error | undefined;
    await client.openStream([["streamType", "c"]]).catch((err: Error) => (error = err));
    expect(error?.message).to.match(/closed/);
  });

  it("close() from the server ends the client's streams and both sockets", async () => {
    const { client, server, nextStream } = await connectedPair();
    const open = await client.openStream([["streamType", "a"]]);
    await nextStream();
    const ended = collect(open);
    server.close();
    await ended;
    await Promise.all([client.closed, server.closed]);
  });

  it("sends GOAWAY before ending the socket", async () => {
    let server: SpdyConnection | undefined;
    const port = await listen((socket) => (server = new SpdyConnection(socket, "server")));
    const raw = rawPeer(await connect(port));
    await raw.synStream(1, [["streamType", "x"]]);
    expect(controlOf(await raw.next()).type).to.equal(frameType.synReply);
    server!.close();
    const goAway = controlOf(await raw.next());
    expect(goAway.type).to.equal(frameType.goAway);
    expect(goAway.payload.readUInt32BE(0)).to.equal(1, "last stream id");
    expect(goAway.payload.readUInt32BE(4)).to.equal(0, "status OK");
    await waitFor("the socket to end", async () => raw.ended() || undefined);
  });

  it("does not lose data written just before close()", async () => {
    const { client, server, nextStream } = await connectedPair();
    const stream = await client.openStream([["streamType", "stdout"]]);
    const peer = await nextStream();
    const got = collect(stream);
    for (let i = 0; i < 100; i++) peer.write(`chunk ${i};`);
    peer.end();
    server.close();
    const expected = Array.from({ length: 100 }, (_, i) => `chunk ${i};`).join("");
    expect((await got).toString()).to.equal(expected);
    await Promise.all([client.closed, server.closed]);
  });

  it("echoes the peer's PINGs and not its own", async () => {
    const port = await listen((socket) => new SpdyConnection(socket, "server"));
    const raw = rawPeer(await connect(port));
    raw.socket.write(ping(2)); // a server's id: the server would not echo its own
    raw.socket.write(ping(1));
    raw.socket.write(ping(0xfffffff1));
    const first = controlOf(await raw.next());
    expect(first.type).to.equal(frameType.ping);
    expect(first.payload.readUInt32BE(0)).to.equal(1);
    const second = controlOf(await raw.next());
    expect(second.payload.readUInt32BE(0)).to.equal(0xfffffff1);
    expect(raw.frames).to.have.length(2);
  });

  it("echoes a server's PINGs on the client side", async () => {
    const raws: ReturnType<typeof rawPeer>[] = [];
    const port = await listen((socket) => raws.push(rawPeer(socket)));
    new SpdyConnection(await connect(port), "client");
    const raw = await waitFor("the raw server", async () => raws[0]);
    raw.socket.write(ping(3));
    raw.socket.write(ping(4));
    const echoed = controlOf(await raw.next());
    expect(echoed.type).to.equal(frameType.ping);
    expect(echoed.payload.readUInt32BE(0)).to.equal(4);
  });

  const garbage: [string, Buffer][] = [
    ["an oversized frame", Buffer.from([0, 0, 0, 1, 0, 0xff, 0xff, 0xff])],
    ["another SPDY version", Buffer.from([0x80, 2, 0, 1, 0, 0, 0, 0])],
    ["a header block that is not zlib", synStreamFrame(1, Buffer.from("not compressed at all"))],
    [
      "a SYN_STREAM too short for its header",
      controlFrame(frameType.synStream, 0, Buffer.alloc(4)),
    ],
    ["a RST_STREAM without a stream id", controlFrame(frameType.rstStream, 0, Buffer.alloc(2))],
  ];
  for (const [what, bytes] of garbage) {
    it(`answers ${what} with GOAWAY(protocol error) and ends the socket`, async () => {
      const rejections = watchUnhandledRejections();
      let server: SpdyConnection | undefined;
      const port = await listen((socket) => (server = new SpdyConnection(socket, "server")));
      const raw = rawPeer(await connect(port));
      raw.socket.write(bytes);
      const goAway = controlOf(await raw.next());
      expect(goAway.type).to.equal(frameType.goAway);
      expect(goAway.payload.readUInt32BE(4)).to.equal(1, "PROTOCOL_ERROR");
      await waitFor("the socket to end", async () => raw.ended() || undefined);
      raw.socket.end();
      await server!.closed;
      expect(rejections).to.deep.equal([]);
    });
  }

  it("refuses a SYN_STREAM on the client side but keeps decoding headers", async () => {
    const raws: ReturnType<typeof rawPeer>[] = [];
    const port = await listen((socket) => raws.push(rawPeer(socket)));
    const client = new SpdyConnection(await connect(port), "client");
    const raw = await waitFor("the raw server", async () => raws[0]);
    await raw.synStream(2, [["pushed", "yes"]]);
    const rst = controlOf(await raw.next());
    expect(rst.type).to.equal(frameType.rstStream);
    expect(rst.payload.readUInt32BE(0)).to.equal(2);
    expect(rst.payload.readUInt32BE(4)).to.equal(rstStatus.refusedStream);
    const opened = client.openStream([["streamType", "after"]]);
    const syn = controlOf(await raw.next());
    expect((await raw.headersOf(syn, 10)).get("streamtype")).to.deep.equal(["after"]);
    await raw.synReply(1);
    await opened;
  });

  it("ends a stream opened with FIN at once on the server", async () => {
    const streams: SpdyStream[] = [];
    const port = await listen((socket) =>
      new SpdyConnection(socket, "server").on("stream", (s) => streams.push(s)),
    );
    const raw = rawPeer(await connect(port));
    await raw.synStream(1, [["streamType", "empty"]], true);
    const stream = await waitFor("the stream", async () => streams[0]);
    expect((await collect(stream)).length).to.equal(0);
    stream.end("answer");
    expect(controlOf(await raw.next()).type).to.equal(frameType.synReply);
    const data = await raw.next();
    expect(data.control).to.equal(false);
    expect(data.payload.toString()).to.equal("answer");
    // "answer" and FIN may come as one frame or two.
    if ((data.flags & flagFin) === 0) {
      const fin = await raw.next();
      expect(fin.flags & flagFin).to.equal(flagFin);
    }
  });

  it("keeps the compression contexts in step across 50 concurrent streams", async () => {
    const { client, nextStream } = await connectedPair();
    const count = 50;
    const opened = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.openStream([
          ["streamType", i % 2 ? "data" : "error"],
          ["port", String(8000 + i)],
          ["requestID", String(i)],
        ]),
      ),
    );
    const arrived: SpdyStream[] = [];
    for (let i = 0; i < count; i++) arrived.push(await nextStream());
    expect(arrived.map((s) => s.header("requestid"))).to.deep.equal(
      Array.from({ length: count }, (_, i) => String(i)),
    );
    for (const [i, stream] of arrived.entries()) {
      expect(stream.header("port")).to.equal(String(8000 + i));
      expect(stream.header("streamtype")).to.equal(i % 2 ? "data" : "error");
      expect(stream.id).to.equal(opened[i]!.id);
    }
    const echoes = opened.map((stream) => collect(stream));
    for (const stream of arrived) stream.end(`echo ${stream.header("requestid")}`);
    const texts = (await Promise.all(echoes)).map(String);
    expect(texts).to.deep.equal(Array.from({ length: count }, (_, i) => `echo ${i}`));
  });

  it("ends the server side when the peer half-closes TCP without GOAWAY", async () => {
    let server: SpdyConnection | undefined;
    const port = await listen((socket) => (server = new SpdyConnection(socket, "server")), {
      allowHalfOpen: true,
    });
    const raw = rawPeer(await connect(port));
    await raw.synStream(1, [["streamType", "x"]]);
    await raw.next();
    raw.socket.end();
    await server!.closed;
  });

  it("drops writes on a stream after the connection is gone, without throwing", async () => {
    const { client, server, nextStream } = await connectedPair();
    const stream = await client.openStream([["streamType", "data"]]);
    await nextStream();
    server.destroy();
    await client.closed;
    await new Promise<void>((resolve, reject) =>
      stream.write("late", (err) => (err ? reject(err) : resolve())),
    );
  });
});
