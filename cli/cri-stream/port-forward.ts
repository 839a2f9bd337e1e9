import type { CriClient } from "../../agent/cri/client.js";
import { unavailable } from "../../lib/errors.js";
import { PortForwarder, portForwardProtocol } from "../../lib/spdy/port-forward-client.js";
import { dialStreamingUrl } from "./dial-url.js";
import { parsePortSpecs } from "./port-specs.js";

/**
 * `berth cri port-forward`: forwards local ports into a pod's network namespace, as kubectl
 * and crictl do, until SIGINT or SIGTERM; fails if the runtime drops the connection.
 */
export async function portForward(cri: CriClient, podId: string, specs: string[]): Promise<void> {
  const mappings = parsePortSpecs(specs);
  const { url } = await cri.runtime("PortForward", {
    pod_sandbox_id: podId,
    port: mappings.map((m) => m.remote),
  });
  const { connection } = await dialStreamingUrl(url, [portForwardProtocol]);
  const forwarder = await PortForwarder.start(connection, mappings, {
    onConnection: (port) => console.log(`Handling connection for ${port.local}`),
    onError: (port, message) =>
      console.error(
        `berth: an error occurred forwarding ${port.local} -> ${port.remote}: ${message}`,
      ),
  });
  for (const { local, remote } of forwarder.ports) {
    console.log(`Forwarding from 127.0.0.1:${local} -> ${remote}`);
  }
  let stop = () => {};
  const stopped = new Promise<"signal">((resolve) => (stop = () => resolve("signal")));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const why = await Promise.race([stopped, forwarder.done.then(() => "lost" as const)]);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  await forwarder.close();
  if (why === "lost") {
    throw unavailable(`lost the port-forward connection to pod sandbox ${podId}`);
  }
}
