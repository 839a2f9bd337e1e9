import type { ClientRequest } from "node:http";
import https from "node:https";
import { answerError, type SimApiClient } from "./sim-api-client.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface ObjectWatch {
  /** The objects as of the last event handled, by "namespace/name". */
  objects: Map<string, Wire>;
  /** The first failure (a broken stream, an ERROR event, a throwing handler), if any. */
  failure(): Error | undefined;
  stop(): void;
}

const keyOf = (o: Wire) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

/**
 * Lists `path` (a collection, with `query` such as a labelSelector) and watches it from the
 * list's resourceVersion, calling `onChange` after every list and every event with the objects
 * as they are then. Events come in etcd order, so `onChange` sees every state the collection
 * went through. A stream that breaks is a failure, not resumed: a test must not miss events.
 */
export async function watchObjects(
  client: SimApiClient,
  path: string,
  query: string,
  onChange: (objects: Map<string, Wire>, type: WatchEventType | "LIST", object?: Wire) => void,
): Promise<ObjectWatch> {
  const objects = new Map<string, Wire>();
  const sep = query ? "&" : "";
  const listed = await client.request("GET", `${path}?${query}`);
  if (listed.status !== 200) throw answerError(`list ${path}`, listed);
  for (const item of listed.body.items ?? []) objects.set(keyOf(item), item);
  let failure: Error | undefined;
  let stopped = false;
  const fail = (err: Error) => {
    if (!stopped) failure ??= err;
  };
  const deliver = (type: WatchEventType | "LIST", object?: Wire) => {
    try {
      onChange(objects, type, object);
    } catch (err) {
      fail(err as Error);
    }
  };
  deliver("LIST");

  const url =
    `${client.url}${path}?${query}${sep}watch=true&timeoutSeconds=1800` +
    `&resourceVersion=${listed.body.metadata.resourceVersion}`;
  const req: ClientRequest = https.request(url, {
    ...client.tls,
    agent: false,
    headers: { accept: "application/json" },
  });
  req.on("error", (err) => fail(new Error(`watch ${path}: ${err.message}`)));
  req.on("response", (res) => {
    if (res.statusCode !== 200) {
      fail(new Error(`watch ${path}: HTTP ${res.statusCode}`));
      res.resume();
      return;
    }
    res.setEncoding("utf8");
    let buffered = "";
    res.on("data", (text: string) => {
      buffered += text;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === "") continue;
        const event = JSON.parse(line) as { type: string; object: Wire };
        if (event.type === "ERROR") {
          fail(new Error(`watch ${path}: ${event.object?.message}`));
          continue;
        }
        if (event.type === "BOOKMARK") continue;
        if (event.type === "DELETED") objects.delete(keyOf(event.object));
        else objects.set(keyOf(event.object), event.object);
        deliver(event.type as WatchEventType, event.object);
      }
    });
    res.on("end", () => fail(new Error(`watch ${path}: the server ended the stream`)));
  });
  req.end();
  return {
    objects,
    failure: () => failure,
    stop: () => {
      stopped = true;
      req.destroy();
    },
  };
}
