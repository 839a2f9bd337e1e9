import net from "node:net";
import { joinHostPort } from "./container-port.js";
import { dialErrorMessage } from "./dial-error.js";
import type { ProbeOutcome } from "./probe-outcome.js";

/** kubelet's TCP probe: succeeds when a connection opens within the timeout, then closes it. */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const hostPort = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ status: "failure", output: `dial tcp ${hostPort}: i/o timeout` }),
      timeoutMs,
    );
    socket.once("connect", () => finish({ status: "success", output: "" }));
    socket.once("error", (err) =>
      finish({ status: "failure", output: dialErrorMessage(err, hostPort) }),
    );
  });
}
