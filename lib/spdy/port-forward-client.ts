import net from "node:net";
import type { SpdyConnection, SpdyStream } from "./connection.js";

/** The one SPDY port-forward protocol kubelet and CRI runtimes speak. */
export const portForwardProtocol = "portforward.k8s.io";

/** A local port and the pod's port it forwards to; local 0 asks for a free one. */
export interface PortMapping {
  local: number;
  remote: number;
}

export interface PortForwardOptions {
  /** Local address to listen on. */
  address?: string;
  /** A local connection arrived (kubectl prints "Handling connection for <local>"). */
  onConnection?(port: PortMapping): void;
  /** A forwarded connection failed: the server's error text, or why a stream did not open. */
  onError?(port: PortMapping, message: string): void;
}

/**
 * kubectl's and crictl's port forwarding (client-go's PortForwarder) over one SPDY connection:
 * listens on a local port per mapping, and for each accepted connection opens an "error" then a
 * "data" stream (headers streamType, port, requestID), copies bytes both ways, and closes the
 * local connection once the pod's side ended.
 */
export class PortForwarder {
  /** The mappings with the local ports actually listened on. */
  readonly ports: PortMapping[] = [];
  /** Resolves when the SPDY connection closed (the server went away, or close()). */
  readonly done: Promise<void>;
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private nextRequestId = 0;

  private constructor(
    private readonly connection: SpdyConnection,
    private readonly options: PortForwardOptions,
  ) {
    this.done = connection.closed.then(() => this.stopListening());
  }

  /** Listens on every mapping's local port; rejects (closing everything) if one cannot be had. */
  static async start(
    connection: SpdyConnection,
    mappings: PortMapping[],
    options: PortForwardOptions = {},
  ): Promise<PortForwarder> {
    const forwarder = new PortForwarder(connection, options);
    try {
      for (const mapping of mappings) await forwarder.listen(mapping);
    } catch (err) {
      await forwarder.close();
      throw err;
    }
    return forwarder;
  }

  /** Stops listening, drops the local connections and closes the SPDY connection. */
  async close(): Promise<void> {
    this.connection.close();
    await this.stopListening();
  }

  private async stopListening(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      this.servers.map(
        (server) => new Promise((resolve) => server.close(() => resolve(undefined))),
      ),
    );
    this.servers.length = 0;
  }

  private listen(mapping: PortMapping): Promise<void> {
    const address = this.options.address ?? "127.0.0.1";
    // Half-open, as kubectl: a client that shut its sending side still gets the reply.
    const server = net.createServer({ allowHalfOpen: true }, (socket) =>
      this.forward(socket, bound),
    );
    const bound: PortMapping = { ...mapping };
    return new Promise((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        const why = err.code === "EADDRINUSE" ? "the port is in use" : err.message;
        reject(new Error(`cannot listen on ${address}:${mapping.local}: ${why}`));
      });
      server.listen(mapping.local, address, () => {
        bound.local = (server.address() as net.AddressInfo).port;
        this.servers.push(server);
        this.ports.push(bound);
        resolve();
      });
    });
  }

  private async forward(socket: net.Socket, port: PortMapping): Promise<void> {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    this.options.onConnection?.(port);
    const requestId = String(this.nextRequestId++);
    const headers = (streamType: string): [string, string][] => [
      ["streamType", streamType],
      ["port", String(port.remote)],
      ["requestID", requestId],
    ];
    let errorStream: SpdyStream;
    let dataStream: SpdyStream;
    try {
      errorStream = await this.connection.openStream(headers("error"));
      // Nothing is written on the error stream.
      errorStream.end();
    } catch (err) {
      return this.fail(socket, port, `error creating error stream: ${(err as Error).message}`);
    }
    const errorText = readText(errorStream);
    try {
      dataStream = await this.connection.openStream(headers("data"));
    } catch (err) {
      return this.fail(socket, port, `error creating forwarding stream: ${(err as Error).message}`);
    }
    dataStream.on("error", () => undefined);
    socket.pipe(dataStream);
    dataStream.pipe(socket);
    // Once the pod's side ended (pipe ends the socket), the local connection is closed whatever
    // it still sends, as kubectl does.
    dataStream.once("end", () => {
      if (socket.writableFinished) socket.destroy();
      else socket.once("finish", () => socket.destroy());
    });
    socket.once("close", () => {
      if (!dataStream.writableEnded) dataStream.end();
    });
    const text = await errorText;
    if (text !== "") this.options.onError?.(port, text);
  }

  private fail(socket: net.Socket, port: PortMapping, message: string): void {
    this.options.onError?.(port, message);
    socket.destroy();
  }
}

function readText(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    stream.on("error", () => undefined);
    stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    const done = () => resolve(text);
    stream.once("end", done);
    stream.once("close", done);
  });
}
