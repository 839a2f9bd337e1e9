import { sendMaybeCompressed } from "../../lib/compressed-response.js";
import type { Registry } from "../../lib/metrics.js";
import type { StreamingRoute } from "../streaming/streaming-server.js";
import type { CadvisorCollector } from "./cadvisor/cadvisor-collector.js";
import { exposition } from "./cadvisor/exposition.js";
import type { Summary } from "./stats-summary.js";

export interface KubeletRoutesOptions {
  /** The agent's metrics, served at /metrics. */
  metrics: Registry;
  summary(): Promise<Summary>;
  /** Per-container series as the kubelet's embedded cAdvisor serves them, at /metrics/cadvisor. */
  cadvisor?: CadvisorCollector;
  /** Why the kubelet is unhealthy now (undefined: healthy), for /healthz. */
  unhealthy(): string | undefined;
}

/**
 * The kubelet's own pages beside the streaming API: /healthz (anonymous), /metrics,
 * /metrics/cadvisor, /stats/summary.
 */
export function kubeletRoutes(options: KubeletRoutesOptions): StreamingRoute[] {
  return [
    {
      path: "/healthz",
      anonymous: true,
      handle(_req, res) {
        const problem = options.unhealthy();
        res.writeHead(problem ? 500 : 200, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(problem ? `[-]syncloop failed: ${problem}\nhealthz check failed\n` : "ok");
      },
    },
    {
      path: "/metrics",
      async handle(req, res) {
        const text = await options.metrics.metrics();
        await sendMaybeCompressed(req, res, options.metrics.contentType, text);
      },
    },
    ...(options.cadvisor ? [cadvisorRoute(options.cadvisor)] : []),
    {
      path: "/stats/summary",
      async handle(req, res) {
        const body = JSON.stringify(await options.summary());
        await sendMaybeCompressed(req, res, "application/json", body);
      },
    },
  ];
}

function cadvisorRoute(cadvisor: CadvisorCollector): StreamingRoute {
  return {
    path: "/metrics/cadvisor",
    async handle(req, res) {
      await sendMaybeCompressed(req, res, exposition.contentType, await cadvisor.scrape());
    },
  };
}
