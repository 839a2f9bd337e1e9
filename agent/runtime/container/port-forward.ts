import { spawn } from "node:child_process";
import net from "node:net";
import type { Readable, Writable } from "node:stream";
import { invalidArgument, unavailable } from "../../../lib/errors.js";

/** The host tools a forward into a pod's network namespace runs. */
export interface PortForwardTools {
  nsenter: string;
  /** A busybox with the `nc` applet; it runs from the host's filesystem, inside the pod's netns. */
  busybox: string;
}

export const defaultPortForwardTools: PortForwardTools = {
  nsenter: "nsenter",
  busybox: "/usr/bin/busybox",
};

/** One TCP connection to a port on a pod's localhost. */
export interface PortConnection {
  /** Bytes for the pod's port; end() half-closes the connection. */
  input: Writable;
  /** Bytes from the pod's port, until it closes the connection. */
  output: Readable;
  /** Resolves when the connection is over; rejects when it could not be made or broke. */
  closed: Promise<void>;
  /** Ends the connection now. */
  close(): void;
}

/**
 * Connects to 127.0.0.1:`port` inside the network namespace pinned at `netnsPath` (undefined:
 * the host's own, for host-network pods). Node cannot enter a namespace, so a pod connection is
 * a `busybox nc` started in it by nsenter, one process per connection, ended with it.
 */
export function connectPodPort(
  netnsPath: string | undefined,
  port: number,
  tools: PortForwardTools = defaultPortForwardTools,
): PortConnection {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidArgument(`port ${port} is not between 1 and 65535`, { field: "port" });
  }
  return netnsPath === undefined
    ? hostConnection(port)
    : namespaceConnection(netnsPath, port, tools);
}

function hostConnection(port: number): PortConnection {
  const socket = net.connect({ host: "127.0.0.1", port });
  const closed = new Promise<void>((resolve, reject) => {
    socket.on("error", (err) =>
      reject(unavailable(`port ${port}: ${err.message}`, { cause: err })),
    );
    socket.on("close", () => resolve());
  });
  // Callers may never wait for the end; a failure is theirs to see, never an unhandled rejection.
  closed.catch(() => undefined);
  return { input: socket, output: socket, closed, close: () => socket.destroy() };
}

function namespaceConnection(
  netnsPath: string,
  port: number,
  tools: PortForwardTools,
): PortConnection {
  const child = spawn(
    tools.nsenter,
    [`--net=${netnsPath}`, "--", tools.busybox, "nc", "127.0.0.1", String(port)],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  child.stdin.on("error", () => undefined);
  let complaint = "";
  child.stderr.on("data", (b: Buffer) => (complaint += b.toString()));
  let closing = false;
  const closed = new Promise<void>((resolve, reject) => {
    child.on("error", (err) => reject(unavailable(`port ${port}: ${err.message}`, { cause: err })));
    child.on("close", (code) => {
      if (code === 0 || closing) resolve();
      else reject(unavailable(`port ${port}: ${complaint.trim() || `nc exited with ${code}`}`));
    });
  });
  closed.catch(() => undefined);
  return {
    input: child.stdin,
    output: child.stdout,
    closed,
    close() {
      closing = true;
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
