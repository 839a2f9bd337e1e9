import { PassThrough, type Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { invalidArgument, isBerthError, unavailable } from "../../../lib/errors.js";
import type { ContentStore } from "../../images/content-store.js";
import type { Descriptor } from "../../images/manifest.js";
import type { RegistryResponse } from "../registry-api.js";
import { header, registryGet } from "./registry-get.js";
import { pump, withinStallTimeout, type StallWatch } from "./stall-guard.js";
import type { RegistryTarget } from "./registry-target.js";

export interface BlobDownloadOptions {
  /** Names the blob in errors ("image … layers[2] sha256:…"). */
  what: string;
  /** An attempt that receives nothing (not even headers) this long is abandoned. */
  stallTimeoutMs: number;
  /** Further attempts after the first, each resuming where the last one broke off. */
  retries: number;
  onProgress?: (received: number, total: number) => void;
  signal?: AbortSignal;
  /** Pause before retry `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
}

const defaultBackoff = (attempt: number) => Math.min(2000, 100 * 2 ** (attempt - 1));

/**
 * Downloads a blob straight into the content store, which verifies its digest and size before
 * it becomes visible. A broken or stalled connection is retried with `Range: bytes=<received>-`,
 * the bytes already received staying in the store's ingest file: one stream across attempts.
 */
export async function downloadBlob(
  content: ContentStore,
  target: RegistryTarget,
  desc: Descriptor,
  options: BlobDownloadOptions,
): Promise<void> {
  const sink = new PassThrough({ highWaterMark: 1024 * 1024 });
  // The store reports a failure through `stored`; the stream's own error event is a duplicate.
  sink.on("error", () => {});
  let storeError: unknown;
  // No expected digest for writeStream: it would skip a present blob by draining a source we may
  // yet destroy. The digest is checked before the commit instead.
  const stored = content
    .writeStream(sink, { size: desc.size }, options.what, async (digest) => {
      if (digest !== desc.digest) {
        throw invalidArgument(
          `${options.what}: digest mismatch: announced ${desc.digest}, got ${digest}`,
        );
      }
    })
    .catch((err: unknown) => {
      storeError = err;
      throw err;
    });
  stored.catch(() => {});
  const state = { received: 0 };
  const backoff = options.backoffMs ?? defaultBackoff;
  for (let attempt = 0; ; attempt++) {
    try {
      options.signal?.throwIfAborted();
      if (attempt > 0) await sleep(backoff(attempt), undefined, { signal: options.signal });
      await attemptDownload(target, desc, sink, state, options, () => storeError);
      break;
    } catch (err) {
      const fatal =
        storeError !== undefined
          ? storeError
          : options.signal?.aborted
            ? options.signal.reason
            : !retryable(err) || attempt >= options.retries
              ? failure(err, options, attempt + 1)
              : undefined;
      if (fatal === undefined) continue;
      sink.destroy(fatal instanceof Error ? fatal : new Error(String(fatal)));
      await stored.catch(() => {});
      throw fatal;
    }
  }
  sink.end();
  await stored;
}

/** One GET of what is still missing, written on into `sink`. */
async function attemptDownload(
  target: RegistryTarget,
  desc: Descriptor,
  sink: Writable,
  state: { received: number },
  options: BlobDownloadOptions,
  storeError: () => unknown,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (state.received > 0) headers.range = `bytes=${state.received}-`;
  const watch: StallWatch = {
    what: options.what,
    stallTimeoutMs: options.stallTimeoutMs,
    signal: options.signal,
    progress: () => ({ received: state.received, size: desc.size }),
  };
  const path = `/v2/${target.name}/blobs/${desc.digest}`;
  const res = await withinStallTimeout(
    registryGet(target, path, headers, [200, 206], options.what),
    watch,
  );
  // A 200 to a Range request is the whole blob again: skip what the sink already has.
  let skip = res.status === 206 ? state.received - rangeStart(res, options.what) : state.received;
  if (skip < 0) {
    res.body.destroy();
    throw unavailable(
      `${options.what}: the registry resumed at a byte after the ${state.received} received`,
    );
  }
  await pump(res.body, watch, async (chunk) => {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      return;
    }
    const part = skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
    if (state.received + part.length > desc.size) {
      throw invalidArgument(`${options.what}: more data than the ${desc.size} bytes announced`);
    }
    await write(sink, part, storeError);
    state.received += part.length;
    options.onProgress?.(state.received, desc.size);
  });
  if (state.received < desc.size) {
    throw unavailable(
      `${options.what}: the connection ended after ${state.received} of ${desc.size} bytes`,
    );
  }
}

async function write(sink: Writable, chunk: Buffer, storeError: () => unknown): Promise<void> {
  if (sink.destroyed) throw storeError() ?? new Error("the content store stopped reading");
  if (sink.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      sink.off("drain", done);
      sink.off("close", closed);
      resolve();
    };
    const closed = () => {
      sink.off("drain", done);
      reject(storeError() ?? new Error("the content store stopped reading"));
    };
    sink.on("drain", done);
    sink.on("close", closed);
  });
}

function rangeStart(res: RegistryResponse, what: string): number {
  const range = header(res, "content-range");
  const m = range ? /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(range.trim()) : null;
  if (!m) {
    res.body.destroy();
    throw unavailable(`${what}: 206 with a Content-Range of ${JSON.stringify(range)}`);
  }
  return Number(m[1]);
}

/** Network trouble and stalls are worth another attempt; refusals and bad content are not. */
function retryable(err: unknown): boolean {
  if (!isBerthError(err)) return true;
  return err.kind === "Unavailable" || err.kind === "DeadlineExceeded";
}

function failure(err: unknown, options: BlobDownloadOptions, attempts: number): unknown {
  const suffix = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
  if (isBerthError(err)) {
    if (suffix) err.message += suffix;
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  return unavailable(`${options.what}: download failed: ${message}${suffix}`, { cause: err });
}
