import { expect } from "chai";
import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import type { SpdyConnection } from "../../../../lib/spdy/connection.js";
import { controlFrame, frameType, SpdyFrameReader } from "../../../../lib/spdy/frames.js";
import {
  acceptSpdy,
  isSpdyUpgrade,
  negotiateStreamProtocol,
  negotiationFailure,
  offeredStreamProtocols,
} from "../../../../lib/spdy/upgrade.js";
import { waitFor } from "../../../support/wait-for.js";

const kubelet = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

describe("SPDY upgrade negotiation", () => {
  it("recognises the SPDY/3.1 upgrade whatever its case", () => {
    expect(isSpdyUpgrade({ upgrade: "SPDY/3.1" })).to.equal(true);
    expect(isSpdyUpgrade({ upgrade: "spdy/3.1" })).to.equal(true);
    expect(isSpdyUpgrade({ upgrade: "websocket" })).to.equal(false);
    expect(isSpdyUpgrade({ upgrade: "SPDY/3" })).to.equal(false);
    expect(isSpdyUpgrade({})).to.equal(false);
  });

  it("reads offered protocols from comma lists and repeated headers, in order", () => {
    expect(offeredStreamProtocols({})).to.deep.equal([]);
    expect(offeredStreamProtocols({ "x-stream-protocol-version": "" })).to.deep.equal([]);
    expect(
      offeredStreamProtocols({ "x-stream-protocol-version": "v4.channel.k8s.io" }),
    ).to.deep.equal(["v4.channel.k8s.io"]);
    // Node joins repeated headers with ", " (what client-go's one-header-per-protocol becomes).
    expect(
      offeredStreamProtocols({
        "x-stream-protocol-version": "v5.channel.k8s.io, v4.channel.k8s.io,channel.k8s.io",
      }),
    ).to.deep.equal(["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"]);
    expect(
      offeredStreamProtocols({
        "x-stream-protocol-version": ["v3.channel.k8s.io, v2.channel.k8s.io", " channel.k8s.io "],
      } as unknown as http.IncomingHttpHeaders),
    ).to.deep.equal(["v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"]);
  });

  it("negotiates as apimachinery's Handshake does", () => {
    expect(negotiateStreamProtocol([], kubelet)).to.equal("", "none offered: the legacy protocol");
    expect(
      negotiateStreamProtocol(
        ["v5.channel.k8s.io", "v2.channel.k8s.io", "v4.channel.k8s.io"],
        kubelet,
      ),
    ).to.equal("v2.channel.k8s.io", "the client's preference wins");
    expect(negotiateStreamProtocol(["channel.k8s.io", "v4.channel.k8s.io"], kubelet)).to.equal(
      "channel.k8s.io",
    );
    expect(negotiateStreamProtocol(["v9.channel.k8s.io"], kubelet)).to.equal(undefined);
    expect(negotiateStreamProtocol(["portforward.k8s.io"], ["portforward.k8s.io"])).to.equal(
      "portforward.k8s.io",
    );
  });

  it("words a failed negotiation with both lists", () => {
    expect(
      negotiationFailure(["v9.channel.k8s.io", "v8.channel.k8s.io"], ["portforward.k8s.io"]),
    ).to.equal(
      "unable to upgrade: unable to negotiate protocol: client supports " +
        "[v9.channel.k8s.io v8.channel.k8s.io], server supports [portforward.k8s.io]",
    );
  });
});

describe("acceptSpdy on an HTTP server's upgrade", function () {
  this.timeout(20_000);
  let server: http.Server;
  let port: number;
  const accepted: SpdyConnection[] = [];
  const clients: net.Socket[] = [];

  beforeEach(async () => {
    accepted.length = 0;
    server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      const protocol = negotiateStreamProtocol(offeredStreamProtocols(req.headers), kubelet);
      if (!isSpdyUpgrade(req.headers) || protocol === undefined) {
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
      }
      accepted.push(acceptSpdy(socket, head, protocol));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as net.AddressInfo).port;
  });

  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.destroy();
    for (const connection of accepted) connection.destroy();
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });

  /** Sends an upgrade request (and `after` in the same write); returns the head and the rest. */
  async function upgrade(protocolLines: string[], after: Buffer = Buffer.alloc(0)) {
    const socket = net.connect(port, "127.0.0.1");
    clients.push(socket);
    await once(socket, "connect");
    const request =
      "POST /exec/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n" +
      "Upgrade: SPDY/3.1\r\n" +
      protocolLines.map((p) => `X-Stream-Protocol-Version: ${p}\r\n`).join("") +
      "\r\n";
    socket.write(Buffer.concat([Buffer.from(request), after]));
    let received: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const headEnd = await waitFor("the response head", async () => {
      const at = received.indexOf("\r\n\r\n");
      return at < 0 ? undefined : at;
    });
    return {
      socket,
      head: received.subarray(0, headEnd).toString(),
      rest: () => received.subarray(headEnd + 4),
    };
  }

  it("answers 101 with the chosen protocol, and reads frames that came with the request", async () => {
    const ping = controlFrame(frameType.ping, 0, Buffer.from([0, 0, 0, 5]));
    const { head, rest } = await upgrade(
      ["v5.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io"],
      ping,
    );
    const lines = head.split("\r\n");
    expect(lines[0]).to.equal("HTTP/1.1 101 Switching Protocols");
    expect(lines).to.include("Upgrade: SPDY/3.1");
    expect(lines).to.include("Connection: Upgrade");
    expect(lines).to.include("X-Stream-Protocol-Version: v3.channel.k8s.io");
    const echoed = await waitFor("the PING echo", async () => {
      const frames = new SpdyFrameReader().push(rest());
      return frames.length > 0 ? frames : undefined;
    });
    expect(echoed).to.deep.equal([
      { control: true, type: frameType.ping, flags: 0, payload: Buffer.from([0, 0, 0, 5]) },
    ]);
  });

  it("names no protocol when none was offered", async () => {
    const { head } = await upgrade([]);
    expect(head.split("\r\n")[0]).to.equal("HTTP/1.1 101 Switching Protocols");
    expect(head.toLowerCase()).not.to.include("x-stream-protocol-version");
  });

  it("lets the handler refuse protocols it does not speak", async () => {
    const { head } = await upgrade(["v9.channel.k8s.io"]);
    expect(head.split("\r\n")[0]).to.equal("HTTP/1.1 400 Bad Request");
    expect(accepted).to.have.length(0);
  });

  it("closes the upgraded socket when the client half-closes without GOAWAY", async () => {
    const { socket } = await upgrade(["v4.channel.k8s.io"]);
    const connection = await waitFor("the accepted connection", async () => accepted[0]);
    socket.end();
    await connection.closed;
    await waitFor("the client socket to close", async () => socket.closed || undefined);
  });
});
