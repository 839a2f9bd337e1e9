import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { invalidArgument } from "../../../lib/errors.js";
import type { ContentStore } from "../content-store.js";
import { layerCompression, type Descriptor } from "../manifest.js";

/** A layer blob from the content store as an uncompressed tar stream. */
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
