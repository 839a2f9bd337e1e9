import type { IncomingMessage } from "node:http";
import { internal } from "../../lib/errors.js";
import type { KubeStatus } from "./kube-errors.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One line of a watch: an object event, a bookmark (only metadata.resourceVersion) or a Status. */
export interface WatchEvent<T> {
  type: WatchEventType;
  object: T | KubeStatus;
}

const eventTypes = new Set<string>(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

/**
 * Reads a watch answer (one JSON event per line) and hands each event to `onEvent`, in order.
 * Resolves when the stream ends (the server's timeout, or the caller destroyed it); rejects when
 * it breaks or a line is not a watch event.
 */
export function readWatchEvents<T>(
  res: IncomingMessage,
  onEvent: (event: WatchEvent<T>) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = "";
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      res.destroy();
      reject(err);
    };
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      pending += chunk;
      let newline: number;
      while (!failed && (newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line === "") continue;
        const event = parseEvent<T>(line);
        if (!event) return fail(internal(`watch: not a watch event: ${line.slice(0, 200)}`));
        try {
          onEvent(event);
        } catch (err) {
          return fail(err as Error);
        }
      }
    });
    res.on("error", fail);
    res.on("close", () => {
      if (!failed) resolve();
    });
  });
}

function parseEvent<T>(line: string): WatchEvent<T> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const event = parsed as { type?: unknown; object?: unknown };
  if (typeof event?.type !== "string" || !eventTypes.has(event.type)) return undefined;
  if (typeof event.object !== "object" || event.object === null) return undefined;
  return event as WatchEvent<T>;
}
