import https from "node:https";
import type { KubeObject } from "../../resources/kube-object.js";
import { agentTlsOptions } from "../node-proxy/agent-tls.js";
import { hostPort, nodeEndpoint } from "../node-proxy/node-endpoint.js";
import type { NodeStreamingConfig } from "../node-proxy/node-streaming-config.js";

/** A node's /stats/summary as parsed JSON; rejects when the agent cannot be read. */
export type SummarySource = (node: KubeObject) => Promise<unknown>;

const maxSummaryBytes = 64 * 1024 * 1024;

/**
 * Reads /stats/summary from the node's agent over HTTPS with the controller's kubelet client
 * certificate (at the address pods/log uses); the whole request gives up after `timeoutMs`.
 */
export function agentSummarySource(config: NodeStreamingConfig, timeoutMs = 5_000): SummarySource {
  return (node) =>
    new Promise((resolve, reject) => {
      const endpoint = nodeEndpoint(node, config.preferredAddressTypes, config.defaultPort);
      const req = https.request({
        ...agentTlsOptions(config, endpoint),
        method: "GET",
        path: "/stats/summary",
        agent: false,
        headers: { host: hostPort(endpoint), accept: "application/json" },
      });
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(new Error(`${hostPort(endpoint)}/stats/summary: ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      req.once("error", (err) => fail(err.message));
      req.once("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxSummaryBytes) fail(`more than ${maxSummaryBytes} bytes`);
          else chunks.push(chunk);
        });
        res.once("error", (err) => fail(err.message));
        res.once("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch (err) {
            return fail(`not JSON: ${(err as Error).message}`);
          }
          settled = true;
          clearTimeout(timer);
          resolve(body);
        });
      });
      req.end();
    });
}
