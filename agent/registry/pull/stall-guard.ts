import type { Readable } from "node:stream";
import { deadlineExceeded, type BerthError } from "../../../lib/errors.js";
import type { RegistryResponse } from "../registry-api.js";

/** The download a stall guard watches. */
export interface StallWatch {
  /** Names the blob in the error. */
  what: string;
  stallTimeoutMs: number;
  /** Aborts the wait (the pull gave up). */
  signal?: AbortSignal;
  /** Bytes received so far, and of how many, for the error message. */
  progress: () => { received: number; size: number };
}

/** Reads `body` chunk by chunk, failing when it goes quiet for stallTimeoutMs. */
export async function pump(
  body: Readable,
  watch: StallWatch,
  take: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => body.destroy(stalled(watch)), watch.stallTimeoutMs);
  };
  const onAbort = () => body.destroy(watch.signal?.reason as Error);
  watch.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    arm();
    for await (const chunk of body) {
      // Waiting on the disk is not the network stalling.
      clearTimeout(timer);
      await take(chunk as Buffer);
      arm();
    }
  } finally {
    clearTimeout(timer);
    watch.signal?.removeEventListener("abort", onAbort);
    body.destroy();
  }
}

/** The response to a request, unless none comes within the stall timeout (or the pull gives up). */
export async function withinStallTimeout(
  pending: Promise<RegistryResponse>,
  watch: StallWatch,
): Promise<RegistryResponse> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  let late = false;
  const giveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(stalled(watch)), watch.stallTimeoutMs);
    onAbort = () => reject(watch.signal?.reason);
    watch.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, giveUp]);
  } catch (err) {
    late = true;
    throw err;
  } finally {
    clearTimeout(timer);
    watch.signal?.removeEventListener("abort", onAbort);
    // A response that comes after we gave up on it is closed unread.
    if (late) pending.then((res) => res.body.destroy()).catch(() => {});
  }
}

function stalled(watch: StallWatch): BerthError {
  const { received, size } = watch.progress();
  return deadlineExceeded(
    `${watch.what}: no data for ${watch.stallTimeoutMs} ms (${received} of ${size} bytes received)`,
  );
}
