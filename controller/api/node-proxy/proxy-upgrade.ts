import type http from "node:http";
import tls from "node:tls";
import type { Logger } from "../../../lib/logger.js";
import { ApiError } from "../status.js";
import { agentTlsOptions, dialFailure } from "./agent-tls.js";
import type { NodeEndpoint } from "./node-endpoint.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";
import { readResponseHead } from "./response-head.js";
import { spliceSockets } from "./splice-sockets.js";
import { agentUpgradeRequest } from "./upgrade-request.js";
import type { UpgradeConnection } from "./upgrade-listener.js";

const maxHeadBytes = 64 * 1024;
const maxRefusalBytes = 256 * 1024;
const answerTimeoutMs = 60_000;

export interface UpgradeProxyRequest {
  config: NodeStreamingConfig;
  endpoint: NodeEndpoint;
  /** The agent path with its query: /exec/ns/pod/container?command=…&stdout=1 */
  path: string;
  req: http.IncomingMessage;
  /** The client's answer, for metrics; the bytes go straight to the upgraded socket. */
  res: http.ServerResponse;
  upgrade: UpgradeConnection;
  logger: Logger;
}

/**
 * kube-apiserver's UpgradeAwareHandler: sends the client's upgrade request (WebSocket or SPDY)
 * to the node's agent, relays the agent's answer to the client untouched — a 101 and its
 * negotiated protocol, or a refusal with its body, which the client then reports — and after a
 * 101 relays the bytes both ways until either side closes. Fails with a Status (nothing sent
 * yet) when the agent cannot be reached or does not answer.
 */
export async function proxyUpgrade(request: UpgradeProxyRequest): Promise<void> {
  const { config, endpoint, upgrade, logger } = request;
  const agent = await dialAgent(config, endpoint, request.upgrade);
  agent.write(agentUpgradeRequest(request.req, endpoint, request.path));
  if (upgrade.head.length > 0) agent.write(upgrade.head);
  const client = upgrade.socket;
  const clientLeft = () => agent.destroy();
  client.once("close", clientLeft);
  let answer;
  try {
    answer = await readResponseHead(agent, { maxBytes: maxHeadBytes, timeoutMs: answerTimeoutMs });
  } catch (err) {
    agent.destroy();
    throw new ApiError(
      500,
      "InternalError",
      `error reading the answer of node ${endpoint.nodeName}'s agent: ${(err as Error).message}`,
    );
  } finally {
    client.off("close", clientLeft);
  }
  logger.debug("proxied an upgrade to a node's agent", {
    node: endpoint.nodeName,
    path: request.path.replace(/\?.*/, ""),
    code: answer.statusCode,
  });
  request.res.statusCode = answer.statusCode;
  if (answer.statusCode !== 101) {
    // A refusal: its body follows until the agent closes; then the exchange is over.
    client.end(await readRefusal(agent, answer.raw, answer.rest));
    return;
  }
  client.write(answer.raw);
  if (answer.rest.length > 0) client.write(answer.rest);
  await spliceSockets(client, agent);
}

/**
 * The whole refusal: its body, as long as Content-Length says or until the agent closes (bounded
 * in size and time); the agent connection is closed after.
 */
function readRefusal(agent: tls.TLSSocket, head: Buffer, rest: Buffer): Promise<Buffer> {
  const declared = /\r\ncontent-length:\s*(\d+)\r\n/i.exec(head.toString("latin1"));
  const total = Math.min(
    declared ? head.length + Number(declared[1]) : Number.POSITIVE_INFINITY,
    maxRefusalBytes,
  );
  return new Promise((resolve) => {
    let answer = Buffer.concat([head, rest]);
    const done = () => {
      clearTimeout(lingering);
      agent.destroy();
      resolve(answer.subarray(0, total));
    };
    const lingering = setTimeout(done, answerTimeoutMs);
    if (answer.length >= total) return done();
    agent.on("data", (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length >= total) done();
    });
    agent.once("close", done);
    agent.resume();
  });
}

function dialAgent(
  config: NodeStreamingConfig,
  endpoint: NodeEndpoint,
  upgrade: UpgradeConnection,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(agentTlsOptions(config, endpoint));
    const fail = (err: Error) => {
      clearTimeout(timer);
      upgrade.socket.off("close", clientLeft);
      socket.destroy();
      reject(new ApiError(500, "InternalError", dialFailure(endpoint, err)));
    };
    const clientLeft = () => fail(new Error("the client went away"));
    const timer = setTimeout(
      () => fail(new Error(`no connection within ${config.dialTimeoutMs} ms`)),
      config.dialTimeoutMs,
    );
    socket.once("error", fail);
    upgrade.socket.once("close", clientLeft);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      socket.off("error", fail);
      upgrade.socket.off("close", clientLeft);
      socket.on("error", () => socket.destroy());
      resolve(socket);
    });
  });
}
