import type { ClientRequest } from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../../lib/logger.js";
import { answerError, type SimApiClient } from "./sim-api-client.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WireObject = any;

export interface PodWatchHandlers {
  /** A fresh list: every pod that exists now (the ones not in it are gone). */
  onList(pods: WireObject[]): void;
  onEvent(type: "ADDED" | "MODIFIED" | "DELETED", pod: WireObject): void;
}

export interface PodWatch {
  /** Resolves after the first list has been handed over. */
  synced: Promise<void>;
  relists(): number;
  stop(): void;
}

type StreamEnd = "timeout" | "expired" | "broken";

/**
 * An informer for all pods, kept deliberately small: list (paged), then watch from the list's
 * resourceVersion with bookmarks; a watch the server ends is resumed from the last version seen,
 * a 410 / ERROR event or a dropped connection lists again.
 */
export function watchAllPods(
  client: SimApiClient,
  handlers: PodWatchHandlers,
  logger: Logger,
): PodWatch {
  let stopped = false;
  let current: ClientRequest | undefined;
  let relists = 0;
  let markSynced: () => void = () => {};
  let failSynced: (err: Error) => void = () => {};
  const synced = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    failSynced = reject;
  });

  const list = async (): Promise<string> => {
    const pods: WireObject[] = [];
    let resourceVersion = "";
    let token = "";
    do {
      const page = await client.request(
        "GET",
        `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      );
      if (page.status !== 200) throw answerError("list pods", page);
      pods.push(...(page.body.items ?? []));
      resourceVersion ||= String(page.body.metadata?.resourceVersion ?? "");
      token = page.body.metadata?.continue ?? "";
    } while (token);
    relists++;
    handlers.onList(pods);
    return resourceVersion;
  };

  const stream = (resourceVersion: string, onVersion: (rv: string) => void) =>
    new Promise<StreamEnd>((resolve) => {
      const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
      const req = https.request(
        `${client.url}/api/v1/pods?watch=true&allowWatchBookmarks=true` +
          `&resourceVersion=${resourceVersion}&timeoutSeconds=${timeoutSeconds}`,
        { ...client.tls, agent: false, headers: { accept: "application/json" } },
      );
      current = req;
      let ended: StreamEnd | undefined;
      const finish = (how: StreamEnd) => {
        ended ??= how;
        resolve(ended);
      };
      req.on("error", () => finish("broken"));
      req.on("response", (res) => {
        if (res.statusCode === 410) return finish("expired");
        if (res.statusCode !== 200) {
          logger.warn("simulated nodes: pod watch refused", { status: res.statusCode });
          res.resume();
          return finish("broken");
        }
        res.setEncoding("utf8");
        let buffered = "";
        res.on("data", (text: string) => {
          buffered += text;
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line === "" || ended) continue;
            let event: { type: string; object: WireObject };
            try {
              event = JSON.parse(line);
            } catch {
              logger.warn("simulated nodes: unreadable pod watch event", {
                line: line.slice(0, 200),
              });
              finish("broken");
              req.destroy();
              return;
            }
            if (event.type === "ERROR") {
              logger.info("simulated nodes: pod watch error, listing again", {
                message: event.object?.message,
              });
              finish("expired");
              req.destroy();
              return;
            }
            const rv = event.object?.metadata?.resourceVersion;
            if (rv) onVersion(String(rv));
            if (event.type !== "BOOKMARK") {
              handlers.onEvent(event.type as "ADDED" | "MODIFIED" | "DELETED", event.object);
            }
          }
        });
        res.on("end", () => finish("timeout"));
        res.on("error", () => finish("broken"));
        res.on("aborted", () => finish("broken"));
      });
      req.end();
    });

  const run = async () => {
    for (let failures = 0; !stopped;) {
      try {
        let resourceVersion = await list();
        markSynced();
        failures = 0;
        for (;;) {
          const end = await stream(resourceVersion, (rv) => (resourceVersion = rv));
          if (stopped || end !== "timeout") break;
        }
      } catch (err) {
        if (stopped) return;
        failures++;
        logger.warn("simulated nodes: pod list failed", { error: (err as Error).message });
        if (failures >= 5) failSynced(err as Error); // no effect once synced
      }
      if (!stopped) await sleep(Math.min(5_000, 100 * 2 ** failures));
    }
  };
  void run();

  return {
    synced,
    relists: () => relists,
    stop: () => {
      stopped = true;
      current?.destroy();
    },
  };
}
