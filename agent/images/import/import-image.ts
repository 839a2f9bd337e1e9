import { invalidArgument } from "../../../lib/errors.js";
import type { Digest } from "../digest.js";
import type { ImageRecord } from "../image-records.js";
import { mergeImage, type ImageStore } from "../image-store.js";
import { parseReference } from "../reference.js";
import type { ImportCandidate } from "./candidate.js";
import { readDockerArchive } from "./docker-archive.js";
import { openImportSource, type Protect } from "./import-source.js";
import { readOciLayout } from "./oci-layout.js";
import { unpackImage } from "./unpack-image.js";

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
  protect: (r: { snapshots: Digest[] }) => Promise<void>,
  options: ImportOptions,
): Promise<ImageRecord> {
  const label = candidate.names[0] ?? candidate.manifest.digest;
  const repositories = [...new Set(candidate.names.map((n) => parseReference(n).repository))];
  return unpackImage(
    store,
    candidate.manifest,
    {
      repoTags: candidate.names,
      repoDigests: repositories.map((repo) => `${repo}@${candidate.manifest.digest}`),
    },
    {
      label,
      protect,
      onLayer: (event) => options.onLayer?.({ image: label, ...event }),
    },
  );
}
