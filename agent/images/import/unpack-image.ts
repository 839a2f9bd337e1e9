import { invalidArgument } from "../../../lib/errors.js";
import { chainIds, type Digest } from "../digest.js";
import type { ImageRecord } from "../image-records.js";
import type { ImageStore } from "../image-store.js";
import { parseImageConfig, parseManifest, type Descriptor } from "../manifest.js";
import { openLayer } from "./open-layer.js";

export interface ImageNames {
  /** Fully qualified "repository:tag" names for the record. */
  repoTags: string[];
  /** "repository@digest" names for the record. */
  repoDigests: string[];
}

export interface UnpackOptions {
  /** Names the image in errors and events. */
  label: string;
  /** Registers snapshots with the caller's lease before they are made. */
  protect: (r: { snapshots: Digest[] }) => Promise<void>;
  /** Called as each layer is unpacked (or found already unpacked). */
  onLayer?: (event: { index: number; count: number; digest: Digest }) => void;
  /** Resolves once layer `index`'s blob is in the content store (a pull unpacks while it downloads). */
  layerReady?: (index: number) => Promise<void>;
}

/**
 * Unpacks the layers of a manifest whose manifest and config blobs are in the content store (and
 * whose layer blobs are, or will be by `layerReady`) into snapshots, and builds its ImageRecord.
 * Import and pull both end here, so the same image gets the same record either way.
 */
export async function unpackImage(
  store: ImageStore,
  manifestDesc: Descriptor,
  names: ImageNames,
  options: UnpackOptions,
): Promise<ImageRecord> {
  const what = `image ${options.label}`;
  const manifest = parseManifest(await store.content.read(manifestDesc.digest), `${what} manifest`);
  const config = parseImageConfig(
    await store.content.read(manifest.config.digest),
    `${what} config`,
  );
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw invalidArgument(
      `${what}: the manifest has ${manifest.layers.length} layers but the config lists ${diffIds.length} diff_ids`,
    );
  }
  const chain = chainIds(diffIds);
  await options.protect({ snapshots: chain });
  for (const [i, layer] of manifest.layers.entries()) {
    await options.layerReady?.(i);
    try {
      await store.snapshots.prepare(chain[i], chain.slice(0, i), diffIds[i], () =>
        openLayer(store.content, layer, `${what} layers[${i}]`),
      );
    } catch (err) {
      throw prefixed(err, `${what} layer ${i} (${layer.digest})`);
    }
    options.onLayer?.({ index: i, count: chain.length, digest: layer.digest });
  }
  const size =
    manifestDesc.size + manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0);
  return {
    id: manifest.config.digest,
    repoTags: names.repoTags,
    repoDigests: names.repoDigests,
    manifest: manifestDesc,
    config: manifest.config,
    layers: manifest.layers,
    diffIds,
    user: config.config?.User ?? "",
    platform: { os: config.os, architecture: config.architecture },
    created: config.created,
    size,
  };
}

function prefixed(err: unknown, context: string): unknown {
  if (err instanceof Error) err.message = `${context}: ${err.message}`;
  return err;
}
