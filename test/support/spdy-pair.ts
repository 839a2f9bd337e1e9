import { once } from "node:events";
import net from "node:net";
import { SpdyConnection, type SpdyStream } from "../../lib/spdy/connection.js";

/** A client and a server SPDY connection on a loopback socket, and the streams the server got. */
export async function spdyPair() {
  const listener = net.createServer();
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const accepted = once(listener, "connection");
  const clientSocket = net.connect((listener.address() as net.AddressInfo).port, "127.0.0.1");
  await once(clientSocket, "connect");
  const [serverSocket] = (await accepted) as [net.Socket];
  listener.close();
  const server = new SpdyConnection(serverSocket, "server");
  const client = new SpdyConnection(clientSocket, "client");
  const streams: SpdyStream[] = [];
  server.on("stream", (s) => streams.push(s));
  return {
    server,
    client,
    streams,
    destroy() {
      client.destroy();
      server.destroy();
    },
  };
}
