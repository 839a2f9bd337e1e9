import type http from "node:http";
import https from "node:https";
import type { Logger } from "../../../lib/logger.js";
import { ApiError } from "../status.js";
import { agentError } from "./agent-error.js";
import { agentTlsOptions, dialFailure } from "./agent-tls.js";
import { hostPort, type NodeEndpoint } from "./node-endpoint.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";

const maxErrorBody = 50_000;

export interface LogProxyRequest {
  config: NodeStreamingConfig;
  endpoint: NodeEndpoint;
  /** The agent path with its query: /containerLogs/ns/pod/container?… */
  path: string;
  insecureSkipTlsVerify: boolean;
  /** The client's answer: 200 text/plain, the agent's body as it arrives. */
  res: http.ServerResponse;
  logger: Logger;
}

/**
 * GETs a container log from the node's agent and streams it to the client, chunk by chunk, until
 * the agent ends it (a followed container stopped) or the client leaves (the agent request is
 * aborted then). An agent failure before any byte was sent rejects with it as a Status.
 */
export function proxyContainerLog(request: LogProxyRequest): Promise<void> {
  const { config, endpoint, res, logger } = request;
  return new Promise((resolve, reject) => {
    let answered = false;
    const upstream = https.request({
      ...agentTlsOptions(config, endpoint, request.insecureSkipTlsVerify),
      method: "GET",
      path: request.path,
      agent: false,
      headers: { host: hostPort(endpoint), accept: "text/plain, */*" },
    });
    const dialTimer = setTimeout(
      () => upstream.destroy(new Error(`no connection within ${config.dialTimeoutMs} ms`)),
      config.dialTimeoutMs,
    );
    upstream.on("socket", (socket) => socket.once("secureConnect", () => clearTimeout(dialTimer)));
    res.on("close", () => upstream.destroy());

    upstream.on("response", (answer) => {
      answered = true;
      clearTimeout(dialTimer);
      const code = answer.statusCode ?? 500;
      if (code < 200 || code > 206) {
        readLimited(answer, maxErrorBody).then(
          (body) => reject(agentError(code, body)),
          (err: Error) => reject(new ApiError(500, "InternalError", err.message)),
        );
        return;
      }
      res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-cache, private" });
      res.flushHeaders();
      answer.pipe(res);
      answer.once("end", () => resolve());
      answer.once("close", () => {
        // The agent went away mid-stream: the client must see a broken answer, not a clean end.
        if (!answer.complete) res.destroy();
        resolve();
      });
    });
    upstream.on("error", (err) => {
      clearTimeout(dialTimer);
      if (answered) {
        logger.debug("log stream from the agent ended", {
          node: endpoint.nodeName,
          error: err.message,
        });
        res.destroy();
        resolve();
      } else if (res.destroyed) {
        resolve();
      } else {
        reject(new ApiError(500, "InternalError", dialFailure(endpoint, err)));
      }
    });
    upstream.end();
  });
}

function readLimited(stream: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    });
    stream.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.once("error", reject);
  });
}
