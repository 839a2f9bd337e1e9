import type { ForwardedPort, ForwardedPortEvents } from "../../lib/spdy/port-forward-session.js";
import { connectPodPort, type PortForwardTools } from "../runtime/container/port-forward.js";

/** After the client's FIN, how long the pod's side has to answer before the connection ends. */
const lingerMs = 5_000;

/**
 * Opens connections to a pod's ports for the SPDY port-forward session: failures become error
 * text for the client, as kubelet writes it ("error forwarding port 80 to pod …").
 */
export function podPortOpener(
  pod: string,
  netnsPath: string | undefined,
  tools: PortForwardTools | undefined,
): (port: number, events: ForwardedPortEvents) => ForwardedPort {
  return (port, events) => {
    const explain = (err: unknown) =>
      `error forwarding port ${port} to pod ${pod}: ${err instanceof Error ? err.message : String(err)}`;
    let connection;
    try {
      connection = connectPodPort(netnsPath, port, tools);
    } catch (err) {
      events.error(explain(err));
      events.closed();
      return { send: () => undefined, close: () => undefined };
    }
    const open = connection;
    open.output.on("data", (chunk: Buffer) => events.data(chunk));
    open.output.on("error", () => undefined);
    open.closed.then(
      () => events.closed(),
      (err: unknown) => {
        events.error(explain(err));
        events.closed();
      },
    );
    return {
      send: (chunk) => {
        if (open.input.writable) open.input.write(chunk);
      },
      close: () => {
        if (!open.input.writableEnded) open.input.end();
        setTimeout(() => open.close(), lingerMs).unref();
      },
    };
  };
}
