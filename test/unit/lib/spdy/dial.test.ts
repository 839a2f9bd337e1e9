import { expect } from "chai";
import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import type { SpdyConnection } from "../../../../lib/spdy/connection.js";
import { dialSpdy, type SpdyDialed } from "../../../../lib/spdy/dial.js";
import {
  acceptSpdy,
  negotiateStreamProtocol,
  offeredStreamProtocols,
} from "../../../../lib/spdy/upgrade.js";

type UpgradeHandler = (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => void;

const offered = ["v4.channel.k8s.io", "v3.channel.k8s.io", "channel.k8s.io"];

describe("dialSpdy against an HTTP server on loopback", function () {
  this.timeout(20_000);
  let server: http.Server;
  let base: string;
  let onUpgrade: UpgradeHandler;
  let onRequest: http.RequestListener;
  const connections: SpdyConnection[] = [];
  const sockets: net.Socket[] = [];

  beforeEach(async () => {
    onRequest = (_req, res) => res.writeHead(404).end();
    onUpgrade = (_req, socket) => socket.destroy();
    server = http.createServer((req, res) => onRequest(req, res));
    server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      sockets.push(socket);
      onUpgrade(req, socket, head);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.destroy();
    for (const socket of sockets.splice(0)) socket.destroy();
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });

  async function dial(path = "/exec/token", protocols = offered): Promise<SpdyDialed> {
    const dialed = await dialSpdy(`${base}${path}`, { protocols, timeoutMs: 5_000 });
    connections.push(dialed.connection);
    return dialed;
  }

  async function refusal(path = "/exec/token", timeoutMs = 5_000): Promise<Error> {
    try {
      const dialed = await dialSpdy(`${base}${path}`, { protocols: offered, timeoutMs });
      connections.push(dialed.connection);
    } catch (err) {
      return err as Error;
    }
    throw new Error("the dial succeeded");
  }

  /** A server that negotiates like kubelet and echoes every stream in upper case. */
  function acceptAndEcho(seen: http.IncomingMessage[] = []): void {
    onUpgrade = (req, socket, head) => {
      seen.push(req);
      const protocol = negotiateStreamProtocol(offeredStreamProtocols(req.headers), [
        "v3.channel.k8s.io",
        "v4.channel.k8s.io",
      ]);
      const connection = acceptSpdy(socket, head, protocol ?? "");
      connections.push(connection);
      connection.on("stream", (stream) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () =>
          stream.end(`${stream.header("streamtype")}:${Buffer.concat(chunks)}`.toUpperCase()),
        );
      });
    };
  }

  it("upgrades with a POST and returns the chosen protocol and a working connection", async () => {
    const seen: http.IncomingMessage[] = [];
    acceptAndEcho(seen);
    const { connection, protocol } = await dial();
    expect(protocol).to.equal("v4.channel.k8s.io");
    expect(seen[0]!.method).to.equal("POST");
    expect(seen[0]!.url).to.equal("/exec/token");
    expect(seen[0]!.headers.upgrade).to.equal("SPDY/3.1");
    // One header line per protocol, in preference order, as client-go sends them.
    const raw = seen[0]!.rawHeaders;
    const lines = raw.filter(
      (_, i) => i % 2 === 1 && /^x-stream-protocol-version$/i.test(raw[i - 1]!),
    );
    expect(lines).to.deep.equal(offered);

    const stream = await connection.openStream([["streamType", "stdout"]]);
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const ended = once(stream, "end");
    stream.end("hello");
    await ended;
    expect(Buffer.concat(chunks).toString()).to.equal("STDOUT:HELLO");
    connection.close();
    await connection.closed;
  });

  it("returns an empty protocol when the server names none", async () => {
    onUpgrade = (_req, socket, head) => connections.push(acceptSpdy(socket, head, ""));
    const { protocol } = await dial();
    expect(protocol).to.equal("");
  });

  it("offers no protocol header when given none", async () => {
    const seen: http.IncomingMessage[] = [];
    acceptAndEcho(seen);
    const { protocol } = await dial("/exec/token", []);
    expect(seen[0]!.headers).not.to.have.property("x-stream-protocol-version");
    expect(protocol).to.equal("");
  });

  it("rejects with the message of a Status body", async () => {
    onUpgrade = (_req, socket) => {
      const body = JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        message: 'pods "web" is forbidden: exec denied',
        reason: "Forbidden",
        code: 403,
      });
      socket.end(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n" +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    const err = await refusal();
    expect(err.message).to.equal('pods "web" is forbidden: exec denied');
  });

  it("rejects with the HTTP code and text of a plain refusal", async () => {
    onUpgrade = (_req, socket) =>
      socket.end(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 37\r\n" +
          "Connection: close\r\n\r\nunable to upgrade: no protocol match\n",
      );
    const err = await refusal();
    expect(err.message).to.equal(
      "the server refused the upgrade (HTTP 403): unable to upgrade: no protocol match",
    );
  });

  it("rejects a server that ignores the upgrade and answers normally", async () => {
    onUpgrade = () => undefined;
    server.removeAllListeners("upgrade");
    onRequest = (_req, res) =>
      res.writeHead(404, { "Content-Type": "text/plain" }).end("no such token");
    const err = await refusal("/exec/unknown");
    expect(err.message).to.equal("the server refused the upgrade (HTTP 404): no such token");
  });

  it("rejects a protocol the client did not offer, and drops the socket", async () => {
    onUpgrade = (_req, socket, head) =>
      connections.push(acceptSpdy(socket, head, "v5.channel.k8s.io"));
    const err = await refusal();
    expect(err.message).to.equal(
      "the server chose protocol v5.channel.k8s.io, which was not offered",
    );
    await Promise.all(connections.map((connection) => connection.closed));
  });

  it("rejects when the server never answers", async () => {
    onUpgrade = () => undefined;
    const err = await refusal("/exec/token", 300);
    expect(err.message).to.match(/^no answer from 127\.0\.0\.1:\d+$/);
  });

  it("rejects when nothing listens", async () => {
    const closed = net.createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as net.AddressInfo).port;
    closed.close();
    await once(closed, "close");
    let error: (Error & { code?: string }) | undefined;
    await dialSpdy(`http://127.0.0.1:${port}/exec/x`, { protocols: offered }).catch(
      (err: Error) => (error = err),
    );
    expect(error?.code).to.equal("ECONNREFUSED");
  });
});
