import { startScraper, type ScraperServer } from "./scraper-server.js";

export type { ActiveTarget, Sample, Targets } from "./scraper-server.js";
export type PrometheusServer = ScraperServer;

/** Debian's prometheus, scraping with `config`, on 127.0.0.1 (see startScraper). */
export function startPrometheus(config: object): Promise<PrometheusServer> {
  return startScraper(
    {
      name: "prometheus",
      binary: "prometheus",
      args: ({ config, data, port }) => [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=debug",
      ],
      readyPath: "/-/ready",
    },
    config,
  );
}
