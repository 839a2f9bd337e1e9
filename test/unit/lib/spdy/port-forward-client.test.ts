import { expect } from "chai";
import { once } from "node:events";
import net from "node:net";
import type { SpdyStream } from "../../../../lib/spdy/connection.js";
import {
  PortForwarder,
  type PortForwardOptions,
  type PortMapping,
} from "../../../../lib/spdy/port-forward-client.js";
import { spdyPair } from "../../../support/spdy-pair.js";
import { waitFor } from "../../../support/wait-for.js";

/** A local client of the forwarded port, collecting what comes back. */
async function dial(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.on("data", (b: Buffer) => (received += b.toString()));
  const ended = once(socket, "end");
  const closed = once(socket, "close");
  return { socket, received: () => received, ended, closed };
}

function readAll(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    stream.on("data", (b: Buffer) => (text += b.toString()));
    stream.once("end", () => resolve(text));
  });
}

const headersOf = (s: SpdyStream) => Object.fromEntries([...s.headers].map(([k, v]) => [k, v[0]]));

describe("PortForwarder (client-go's port forwarding over SPDY)", () => {
  let pair: Awaited<ReturnType<typeof spdyPair>>;
  let forwarder: PortForwarder | undefined;
  const errors: [PortMapping, string][] = [];
  const connections: PortMapping[] = [];
  beforeEach(async () => {
    pair = await spdyPair();
    errors.length = 0;
    connections.length = 0;
  });
  afterEach(async () => {
    await forwarder?.close();
    forwarder = undefined;
    pair.server.destroy();
    pair.client.destroy();
  });

  async function start(mappings: PortMapping[], options: PortForwardOptions = {}) {
    forwarder = await PortForwarder.start(pair.client, mappings, {
      onError: (port, message) => errors.push([port, message]),
      onConnection: (port) => connections.push(port),
      ...options,
    });
    return forwarder;
  }

  /** The server's streams once `count` were opened. */
  const opened = async (count: number) => {
    await waitFor(`${count} streams`, async () =>
      pair.streams.length >= count ? pair.streams : undefined,
    );
    return pair.streams;
  };

  it("listens on 127.0.0.1, a free port for local 0, and reports the ports chosen", async () => {
    const taken = net.createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const fixed = (taken.address() as net.AddressInfo).port;
    taken.close();
    await once(taken, "close");
    const pf = await start([
      { local: 0, remote: 80 },
      { local: fixed, remote: 8080 },
    ]);
    expect(pf.ports).to.have.length(2);
    expect(pf.ports[0].local).to.be.greaterThan(0);
    expect(pf.ports[0].remote).to.equal(80);
    expect(pf.ports[1]).to.deep.equal({ local: fixed, remote: 8080 });
    const local = await dial(pf.ports[0].local);
    expect(local.socket.remoteAddress).to.equal("127.0.0.1");
    local.socket.destroy();
  });

  it("opens an error then a data stream per connection, with port and incrementing requestID", async () => {
    const pf = await start([
      { local: 0, remote: 80 },
      { local: 0, remote: 9000 },
    ]);
    const first = await dial(pf.ports[0].local);
    const [errorStream] = await opened(2);
    // The client writes nothing on the error stream: its FIN comes at once.
    expect(await readAll(errorStream)).to.equal("");
    const second = await dial(pf.ports[1].local);
    await opened(4);
    expect(pair.streams.map(headersOf)).to.deep.equal([
      { streamtype: "error", port: "80", requestid: "0" },
      { streamtype: "data", port: "80", requestid: "0" },
      { streamtype: "error", port: "9000", requestid: "1" },
      { streamtype: "data", port: "9000", requestid: "1" },
    ]);
    expect(connections).to.deep.equal([pf.ports[0], pf.ports[1]]);
    first.socket.destroy();
    second.socket.destroy();
  });

  it("copies bytes both ways and closes the local connection when the data stream ends", async () => {
    const pf = await start([{ local: 0, remote: 80 }]);
    const local = await dial(pf.ports[0].local);
    const [errorStream, data] = await opened(2);
    local.socket.write("GET / HTTP/1.0\r\n\r\n");
    let request = "";
    data.on("data", (b: Buffer) => (request += b.toString()));
    await waitFor("the request", async () => (request.endsWith("\r\n\r\n") ? true : undefined));
    data.end("HTTP/1.0 200 OK\r\n\r\nhello");
    errorStream.end();
    await local.ended;
    await local.closed;
    expect(local.received()).to.equal("HTTP/1.0 200 OK\r\n\r\nhello");
    expect(errors).to.deep.equal([]);
  });

  it("ends the data stream (FIN) when the local client closes its side", async () => {
    const pf = await start([{ local: 0, remote: 80 }]);
    const local = await dial(pf.ports[0].local);
    const [, data] = await opened(2);
    const request = readAll(data);
    local.socket.end("bytes then FIN");
    expect(await request).to.equal("bytes then FIN");
    data.end("reply after the client's FIN");
    await local.closed;
    expect(local.received()).to.equal("reply after the client's FIN");
  });

  it("reports the error stream's text and closes the local connection", async () => {
    const pf = await start([{ local: 0, remote: 81 }]);
    const local = await dial(pf.ports[0].local);
    const [errorStream, data] = await opened(2);
    errorStream.end("failed to connect to localhost:81 inside namespace: connection refused");
    data.end();
    await local.closed;
    await waitFor("the error", async () => (errors.length ? true : undefined));
    expect(errors).to.deep.equal([
      [pf.ports[0], "failed to connect to localhost:81 inside namespace: connection refused"],
    ]);
    // Later connections are still forwarded.
    const again = await dial(pf.ports[0].local);
    await opened(4);
    expect(headersOf(pair.streams[3])).to.include({ streamtype: "data", requestid: "1" });
    again.socket.destroy();
  });

  it("fails to start, closing the connection, when a local port is taken", async () => {
    const taken = net.createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await start([
        { local: 0, remote: 80 },
        { local: port, remote: 81 },
      ]).then(
        () => expect.fail("started"),
        (e: Error) =>
          expect(e.message).to.equal(`cannot listen on 127.0.0.1:${port}: the port is in use`),
      );
      await pair.server.closed;
    } finally {
      taken.close();
    }
  });

  it("close() stops listening, drops local connections and closes the SPDY connection", async () => {
    const pf = await start([{ local: 0, remote: 80 }]);
    const local = await dial(pf.ports[0].local);
    await opened(2);
    await pf.close();
    await local.closed;
    await pair.server.closed;
    await pf.done;
    const refused = net.connect(pf.ports[0].local, "127.0.0.1");
    const [err] = (await once(refused, "error").catch((e) => [e])) as [NodeJS.ErrnoException];
    expect(err.code).to.equal("ECONNREFUSED");
  });

  it("is done, and stops listening, when the server closes the connection", async () => {
    const pf = await start([{ local: 0, remote: 80 }]);
    const local = await dial(pf.ports[0].local);
    await opened(2);
    pair.server.close();
    await pf.done;
    await local.closed;
    const refused = net.connect(pf.ports[0].local, "127.0.0.1");
    const [err] = (await once(refused, "error").catch((e) => [e])) as [NodeJS.ErrnoException];
    expect(err.code).to.equal("ECONNREFUSED");
  });
});
