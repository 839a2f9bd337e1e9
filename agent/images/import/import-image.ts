import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { invalidArgument } from "../../../lib/errors.js";
import type { ContentStore } from "../content-store.js";
import { chainIds } from "../digest.js";
import type { ImageRecord } from "../image-records.js";
import { mergeImage, type ImageStore } from "../image-store.js";
import { layerCompression, parseImageConfig, parseManifest, type Descriptor } from "../manifest.js";
import { parseReference } from "../reference.js";
import type { ImportCandidate } from "./candidate.js";
import { readDockerArchive } from "./docker-archive.js";
import { openImportSource, type Protect } from "./import-source.js";
import { readOciLayout } from "./oci-layout.js";

export interface ImportOptions {
  /** See importNames: a full reference names the image, a repository completes bare tags. */
  name?: string;
  /** Called as each layer is unpacked (or found already unpacked). */
  onLayer?: (event: { image: string; index: number; count: number; digest: string }) => void;
}

/**
 * Imports an OCI image layout or a docker-archive, as a directory or a tar, keeping every tag it
 * carries. Either every image in it is committed or, on any error, none is and nothing is left.
 */
export async function importImages(
  store: ImageStore,
  file: string,
  options: ImportOptions = {},
): Promise<ImageRecord[]> {
  return store.withLease(async (_lease, protect) => {
    const protectBlobs: Protect = (blobs) => protect({ blobs });
    const source = await openImportSource(file, store.content, protectBlobs);
    const candidates = (await source.file("index.json"))
      ? await readOciLayout(source, store.content, options.name)
      : (await source.file("manifest.json"))
        ? await readDockerArchive(source, store.content, protectBlobs, options.name)
        : undefined;
    if (!candidates) {
      throw invalidArgument(
        `${file}: neither an OCI image layout (index.json) nor a docker-archive (manifest.json)`,
      );
    }
    const records = new Map<string, ImageRecord>();
    for (const candidate of candidates) {
      const record = await unpackCandidate(store, candidate, protect, options);
      const seen = records.get(record.id);
      // One image under several index entries (one per tag) is one record with all the names.
      records.set(record.id, seen ? mergeImage([seen], record)[0] : record);
    }
    return [...records.values()];
  });
}

async function unpackCandidate(
  store: ImageStore,
  candidate: ImportCandidate,
  protect: (r: { snapshots: ReturnType<typeof chainIds> }) => Promise<void>,
  options: ImportOptions,
): Promise<ImageRecord> {
  const label = candidate.names[0] ?? candidate.manifest.digest;
  const what = `image ${label}`;
  const manifest = parseManifest(
    await store.content.read(candidate.manifest.digest),
    `${what} manifest`,
  );
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
  await protect({ snapshots: chain });
  for (const [i, layer] of manifest.layers.entries()) {
    try {
      await store.snapshots.prepare(chain[i], chain.slice(0, i), diffIds[i], () =>
        openLayer(store.content, layer, `${what} layers[${i}]`),
      );
    } catch (err) {
      throw prefixed(err, `${what} layer ${i} (${layer.digest})`);
    }
    options.onLayer?.({ image: label, index: i, count: chain.length, digest: layer.digest });
  }
  const size =
    candidate.manifest.size +
    manifest.config.size +
    manifest.layers.reduce((n, l) => n + l.size, 0);
  return {
    id: manifest.config.digest,
    repoTags: candidate.names,
    repoDigests: [...new Set(candidate.names.map((n) => parseReference(n).repository))].map(
      (repo) => `${repo}@${candidate.manifest.digest}`,
    ),
    manifest: candidate.manifest,
    config: manifest.config,
    layers: manifest.layers,
    diffIds,
    user: config.config?.User ?? "",
    platform: { os: config.os, architecture: config.architecture },
    created: config.created,
    size,
  };
}

export async function openLayer(
  content: ContentStore,
  layer: Descriptor,
  what: string,
): Promise<Readable> {
  const compression = layerCompression(layer.mediaType, what);
  // Large chunks: each chunk becomes one write of an unpacked file, so small ones cost syscalls.
  const raw = createReadStream(content.path(layer.digest), { highWaterMark: 1024 * 1024 });
  if (compression === "none") return raw;
  if (compression === "gzip") {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    raw.on("error", (err) => gunzip.destroy(err));
    return raw.pipe(gunzip);
  }
  raw.destroy();
  throw invalidArgument(`${what}: zstd-compressed layers are not supported yet`);
}

function prefixed(err: unknown, context: string): unknown {
  if (err instanceof Error) err.message = `${context}: ${err.message}`;
  return err;
}
