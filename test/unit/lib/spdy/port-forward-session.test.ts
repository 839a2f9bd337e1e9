import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import {
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  flagFin,
  frameType,
  SpdyFrameReader,
  type SpdyFrame,
} from "../../../../lib/spdy/frames.js";
import { SpdyHeaderCodec } from "../../../../lib/spdy/header-codec.js";
import {
  SpdyPortForwardSession,
  type ForwardedPort,
  type ForwardedPortEvents,
} from "../../../../lib/spdy/port-forward-session.js";
import { waitFor } from "../../../support/wait-for.js";

interface FakeAgentPort {
  port: number;
  events: ForwardedPortEvents;
  sent: Buffer[];
  closed: boolean;
}

/** kubectl's side of the SPDY session, and agent connections that record what they get. */
function harness() {
  const toServer = new SpdyHeaderCodec("deflate");
  const fromServer = new SpdyHeaderCodec("inflate");
  const reader = new SpdyFrameReader();
  const received: SpdyFrame[] = [];
  const ports: FakeAgentPort[] = [];
  let ended = false;
  const session = new SpdyPortForwardSession({
    send: (bytes) => received.push(...reader.push(bytes)),
    openPort(port, events): ForwardedPort {
      const fake: FakeAgentPort = { port, events, sent: [], closed: false };
      ports.push(fake);
      return {
        send: (chunk) => fake.sent.push(chunk),
        close: () => (fake.closed = true),
      };
    },
    end: () => (ended = true),
    logger: silentLogger(),
  });
  return {
    session,
    received,
    ports,
    ended: () => ended,
    async synStream(streamId: number, headers: [string, string][], flags = 0) {
      const head = Buffer.alloc(10);
      head.writeUInt32BE(streamId, 0);
      const block = await toServer.process(encodeHeaderBlock(headers));
      session.receive(controlFrame(frameType.synStream, flags, Buffer.concat([head, block])));
    },
    data(streamId: number, text: string, fin = false) {
      session.receive(dataFrame(streamId, Buffer.from(text), fin));
    },
    /** The server's SYN_REPLY frames, with their header blocks decoded in order. */
    async replies() {
      const out: { streamId: number; headers: Map<string, string[]> }[] = [];
      for (const f of received) {
        if (f.control && f.type === frameType.synReply) {
          const block = await fromServer.process(f.payload.subarray(4));
          out.push({ streamId: f.payload.readUInt32BE(0), headers: decodeHeaderBlock(block) });
        }
      }
      return out;
    },
    dataOn(streamId: number) {
      return received.filter(
        (f): f is SpdyFrame & { control: false } => !f.control && f.streamId === streamId,
      );
    },
  };
}

const request = (type: string, id: string, port = "8080"): [string, string][] => [
  ["streamtype", type],
  ["port", port],
  ["requestid", id],
];

describe("SPDY port forwarding session (kubectl's protocol, served from the agent's WebSocket)", () => {
  it("answers each stream and relays a request's data both ways, then ends both streams", async () => {
    const h = harness();
    await h.synStream(1, request("error", "0"));
    await h.synStream(3, request("data", "0"));
    await waitFor("the agent connection", async () => h.ports[0]);
    h.data(3, "GET / HTTP/1.0\r\n\r\n");
    h.data(1, "", true); // kubectl closes its end of the error stream at once
    await waitFor("the request to reach the agent", async () => h.ports[0]!.sent[0]);
    expect(h.ports[0]!.port).to.equal(8080);
    expect(Buffer.concat(h.ports[0]!.sent).toString()).to.equal("GET / HTTP/1.0\r\n\r\n");

    h.ports[0]!.events.data(Buffer.from("HTTP/1.0 200 OK\r\n\r\nhi"));
    h.ports[0]!.events.closed();
    await waitFor("both streams to end", async () =>
      h.dataOn(1).some((f) => f.flags & flagFin) && h.dataOn(3).some((f) => f.flags & flagFin)
        ? true
        : undefined,
    );
    const replies = await h.replies();
    expect(replies.map((r) => r.streamId)).to.deep.equal([1, 3]);
    expect(replies.every((r) => r.headers.size === 0)).to.equal(true);
    expect(Buffer.concat(h.dataOn(3).map((f) => f.payload)).toString()).to.equal(
      "HTTP/1.0 200 OK\r\n\r\nhi",
    );
    expect(h.dataOn(1).map((f) => [f.payload.length, f.flags])).to.deep.equal([[0, flagFin]]);
  });

  it("sends the agent's error text on the request's error stream", async () => {
    const h = harness();
    await h.synStream(1, request("error", "7", "8081"));
    await h.synStream(3, request("data", "7", "8081"));
    await waitFor("the agent connection", async () => h.ports[0]);
    h.ports[0]!.events.error("error forwarding port 8081 to pod fwd: connection refused");
    h.ports[0]!.events.closed();
    await waitFor("the error stream to end", async () =>
      h.dataOn(1).some((f) => f.flags & flagFin) ? true : undefined,
    );
    expect(Buffer.concat(h.dataOn(1).map((f) => f.payload)).toString()).to.equal(
      "error forwarding port 8081 to pod fwd: connection refused",
    );
  });

  it("keeps requests apart, and ends a connection when kubectl ends its data stream", async () => {
    const h = harness();
    await h.synStream(1, request("error", "0"));
    await h.synStream(3, request("data", "0"));
    await h.synStream(5, request("error", "1", "9090"));
    await h.synStream(7, request("data", "1", "9090"));
    await waitFor("two agent connections", async () => (h.ports.length === 2 ? true : undefined));
    h.data(7, "to nine", true);
    h.data(3, "to eight");
    await waitFor("the data", async () =>
      h.ports[1]!.sent.length && h.ports[0]!.sent.length ? true : undefined,
    );
    expect(h.ports.map((p) => [p.port, Buffer.concat(p.sent).toString(), p.closed])).to.deep.equal([
      [8080, "to eight", false],
      [9090, "to nine", true],
    ]);
  });

  it("echoes pings, refuses streams it cannot serve, and resets connections on RST_STREAM", async () => {
    const h = harness();
    h.session.receive(controlFrame(frameType.ping, 0, Buffer.from([0, 0, 0, 1])));
    await h.synStream(1, [["streamtype", "stdin"]]);
    await h.synStream(3, request("error", "0"));
    await h.synStream(5, request("data", "0"));
    await waitFor("the agent connection", async () => h.ports[0]);
    const rst = Buffer.alloc(8);
    rst.writeUInt32BE(5, 0);
    rst.writeUInt32BE(5, 4);
    h.session.receive(controlFrame(frameType.rstStream, 0, rst));
    await waitFor("the reset", async () => (h.ports[0]!.closed ? true : undefined));
    const controls = h.received.filter((f) => f.control).map((f) => f.control && f.type);
    expect(controls).to.deep.equal([
      frameType.ping,
      frameType.rstStream,
      frameType.synReply,
      frameType.synReply,
    ]);
  });

  it("says GOAWAY and ends the connection on bytes that are not SPDY", () => {
    const h = harness();
    h.session.receive(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    expect(h.ended()).to.equal(true);
    expect(h.received.map((f) => f.control && f.type)).to.deep.equal([frameType.goAway]);
  });
});
