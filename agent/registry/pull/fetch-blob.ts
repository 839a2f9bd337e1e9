import type { Digest } from "../../images/digest.js";
import type { ImageStore } from "../../images/image-store.js";
import type { Descriptor } from "../../images/manifest.js";
import { downloadBlob } from "./blob-download.js";
import type { RegistryTarget } from "./registry-target.js";
import type { SharedDownloads } from "./shared-downloads.js";

/** What every blob of one pull is fetched with. */
export interface BlobFetcher {
  store: ImageStore;
  target: RegistryTarget;
  /** Adds blobs to the pull's lease. */
  protect: (r: { blobs: Digest[] }) => Promise<void>;
  downloads: SharedDownloads;
  stallTimeoutMs: number;
  retries: number;
  /** Aborted when the pull fails: its downloads stop unless another pull waits for them. */
  signal: AbortSignal;
}

/**
 * Puts a blob into the store unless it is there already (then answers "cached"), sharing the
 * download with any other pull in this process fetching the same blob into the same store.
 */
export async function fetchBlob(
  f: BlobFetcher,
  desc: Descriptor,
  what: string,
  onProgress: (received: number, total: number) => void = () => {},
): Promise<"cached" | "downloaded"> {
  // Leased before it exists, so a collection between its commit and the image's cannot take it.
  await f.protect({ blobs: [desc.digest] });
  if (await f.store.content.has(desc.digest)) return "cached";
  await f.downloads.join(
    f.store.content.path(desc.digest),
    (signal, progress) =>
      downloadBlob(f.store.content, f.target, desc, {
        what: `${what} (blob ${desc.digest})`,
        stallTimeoutMs: f.stallTimeoutMs,
        retries: f.retries,
        signal,
        onProgress: progress,
      }),
    onProgress,
    f.signal,
  );
  return "downloaded";
}
