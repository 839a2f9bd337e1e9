import { invalidArgument } from "../../../lib/errors.js";
import type { ImageRecord } from "../../images/image-records.js";
import type { ImageStore } from "../../images/image-store.js";
import { unpackImage } from "../../images/import/unpack-image.js";
import { parseImageConfig, type Platform } from "../../images/manifest.js";
import { formatReference, normalizeReference } from "../../images/reference.js";
import type { PullProgress, RegistryAuth, RegistryTransport } from "../registry-api.js";
import { concurrencyLimit } from "./concurrency-limit.js";
import { fetchBlob, type BlobFetcher } from "./fetch-blob.js";
import { defaultPlatform, normalizePlatform } from "./platform-select.js";
import { layerProgress } from "./layer-progress.js";
import { registryTarget } from "./registry-target.js";
import { resolveImage } from "./resolve-image.js";
import { sharedDownloads } from "./shared-downloads.js";

export interface PullOptions {
  /** Default: this host (linux/amd64 here), variant-aware. */
  platform?: Platform;
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  /** A blob download making no progress this long fails that attempt (default 60 s). */
  stallTimeoutMs?: number;
  /** Layers downloaded at once (default 3). */
  concurrency?: number;
  /** Further attempts per blob, each resuming with Range (default 3). */
  retries?: number;
}

/**
 * Pulls an image from its registry into the store: resolves the reference to the manifest for
 * the platform, downloads the blobs the store lacks (verified, resumable, shared with concurrent
 * pulls), unpacks each layer as soon as it and those below it are in, and records the image.
 * All under one lease: a failed pull leaves nothing behind.
 */
export async function pullImage(
  store: ImageStore,
  transport: RegistryTransport,
  reference: string,
  options: PullOptions = {},
): Promise<ImageRecord> {
  const ref = normalizeReference(reference, "image");
  const image = formatReference(ref);
  const platform = normalizePlatform(options.platform ?? defaultPlatform());
  const concurrency = integerOption(options.concurrency ?? 3, 1, "concurrency");
  const retries = integerOption(options.retries ?? 3, 0, "retries");
  const stallTimeoutMs = integerOption(options.stallTimeoutMs ?? 60_000, 1, "stallTimeoutMs");
  const report = options.onProgress ?? (() => {});

  const [record] = await store.withLease(async (_lease, protect) => {
    const controller = new AbortController();
    const fetcher: BlobFetcher = {
      store,
      target: registryTarget(transport, ref, options.auth),
      protect,
      downloads: sharedDownloads,
      stallTimeoutMs,
      retries,
      signal: controller.signal,
    };
    let layers: Promise<void>[] = [];
    try {
      const { top, manifestDesc, manifest } = await resolveImage(fetcher, ref, image, platform);
      report({
        kind: "resolved",
        reference: image,
        manifest: manifestDesc.digest,
        layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.size })),
      });
      await fetchBlob(fetcher, manifest.config, `image ${image} config`);
      const config = parseImageConfig(
        await store.content.read(manifest.config.digest),
        `image ${image} config`,
      );
      if (config.rootfs.diff_ids.length !== manifest.layers.length) {
        throw invalidArgument(
          `image ${image}: the manifest has ${manifest.layers.length} layers but the config lists ${config.rootfs.diff_ids.length} diff_ids`,
        );
      }
      const limit = concurrencyLimit(concurrency);
      layers = manifest.layers.map((layer, i) =>
        limit(async () => {
          controller.signal.throwIfAborted();
          const how = await fetchBlob(
            fetcher,
            layer,
            `image ${image} layers[${i}]`,
            layerProgress(layer.digest, report),
          );
          report({ kind: "layer-done", digest: layer.digest, cached: how === "cached" });
        }),
      );
      // Failures surface through unpackImage's layerReady; this only keeps the others quiet.
      layers.forEach((l) => l.catch(() => {}));
      return [
        await unpackImage(
          store,
          manifestDesc,
          {
            repoTags: ref.digest === undefined ? [image] : [],
            repoDigests: [`${ref.repository}@${top.digest}`],
          },
          {
            label: image,
            protect,
            layerReady: (i) => layers[i],
            onLayer: (e) => report({ kind: "unpacked", ...e }),
          },
        ),
      ];
    } catch (err) {
      // Nothing may still be downloading into the store when the lease's leftovers are collected.
      controller.abort(err);
      await Promise.allSettled(layers);
      throw err;
    }
  });
  report({ kind: "done", imageId: record.id });
  return record;
}

function integerOption(value: number, min: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalidArgument(`${field}: expected an integer of at least ${min}, got ${value}`, {
      field,
    });
  }
  return value;
}
