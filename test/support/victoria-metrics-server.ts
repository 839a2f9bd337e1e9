import { startScraper, type ScraperServer } from "./scraper-server.js";

export type VictoriaMetricsServer = ScraperServer;

/**
 * Debian's single-node victoria-metrics, scraping with `config`, on 127.0.0.1 (see
 * startScraper). Unlike Debian's Prometheus, its promscrape has kubernetes_sd_configs.
 */
export function startVictoriaMetrics(config: object): Promise<VictoriaMetricsServer> {
  return startScraper(
    {
      name: "victoria-metrics",
      binary: "victoria-metrics",
      args: ({ config, data, port }) => [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${data}`,
        `-promscrape.config=${config}`,
        // Unknown fields in the config are errors, not silently ignored.
        "-promscrape.config.strictParse",
        // Discovered targets reach the scrapers each second, not each 30 s.
        "-promscrape.kubernetesSDCheckInterval=1s",
        // Samples are queryable a second after they are scraped, not 30 s.
        "-search.latencyOffset=1s",
        "-search.disableCache",
        "-memory.allowedBytes=256MiB",
      ],
      readyPath: "/health",
    },
    config,
  );
}
