import { expect } from "chai";
import { PassThrough } from "node:stream";
import { readResponseHead } from "../../../../controller/api/node-proxy/response-head.js";

const options = { maxBytes: 1024, timeoutMs: 1000 };

describe("reading an agent's answer head", () => {
  it("keeps the head byte for byte and leaves what follows it unread", async () => {
    const socket = new PassThrough();
    const reading = readResponseHead(socket, options);
    socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n");
    socket.write("Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n\x01frame");
    const head = await reading;
    expect(head.statusCode).to.equal(101);
    expect(head.raw.toString()).to.equal(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n",
    );
    expect(head.rest.toString()).to.equal("\x01frame");
    socket.write("more");
    expect(socket.read()?.toString(), "later bytes stay in the socket").to.equal("more");
  });

  it("reads a refusal's status", async () => {
    const socket = new PassThrough();
    const reading = readResponseHead(socket, options);
    socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}");
    const head = await reading;
    expect([head.statusCode, head.rest.toString()]).to.deep.equal([400, "{}"]);
  });

  it("fails on a close before the head, garbage, an endless head and silence", async () => {
    const failure = async (feed: (s: PassThrough) => void, limits = options) => {
      const socket = new PassThrough();
      const reading = readResponseHead(socket, limits);
      feed(socket);
      return reading.then(
        () => "read",
        (err: Error) => err.message,
      );
    };
    expect(await failure((s) => s.end("HTTP/1.1 101 Swi"))).to.equal(
      "the connection closed before an answer",
    );
    expect(await failure((s) => s.write("SSH-2.0-OpenSSH\r\n\r\n"))).to.match(
      /not an HTTP response/,
    );
    expect(await failure((s) => s.write("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(300)))).to.equal(
      "response head too large",
    );
    expect(await failure(() => undefined, { maxBytes: 1024, timeoutMs: 20 })).to.equal(
      "no answer within 20 ms",
    );
  });
});
