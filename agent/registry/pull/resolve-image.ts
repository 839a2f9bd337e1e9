import { invalidArgument } from "../../../lib/errors.js";
import type { ImageStore } from "../../images/image-store.js";
import {
  isIndexType,
  isManifestType,
  parseIndex,
  parseManifest,
  type Descriptor,
  type Manifest,
  type Platform,
} from "../../images/manifest.js";
import type { Reference } from "../../images/reference.js";
import type { BlobFetcher } from "./fetch-blob.js";
import { selectManifest } from "./platform-select.js";
import { fetchManifest, type FetchedManifest } from "./resolve-manifest.js";

export interface ResolvedImage {
  /** What the reference names: the index (or manifest list) for multi-platform images. */
  top: Descriptor;
  /** The image manifest for the platform, in the content store. */
  manifestDesc: Descriptor;
  manifest: Manifest;
}

/**
 * Resolves a reference to the image manifest for `platform`, storing (under the pull's lease)
 * the index it came through and the manifest itself.
 */
export async function resolveImage(
  f: BlobFetcher,
  ref: Reference,
  image: string,
  platform: Platform,
): Promise<ResolvedImage> {
  const first = await fetchVerified(f, ref.digest ?? (ref.tag as string), image);
  const top = await storeManifest(f.store, f, first);
  if (isManifestType(top.mediaType)) {
    return {
      top,
      manifestDesc: top,
      manifest: parseManifest(first.bytes, `image ${image} manifest`),
    };
  }
  if (!isIndexType(top.mediaType)) {
    throw invalidArgument(
      `image ${image}: ${top.digest} is a ${JSON.stringify(top.mediaType)}, not an image manifest or index`,
      { field: "image" },
    );
  }
  const index = parseIndex(first.bytes, `image ${image} index ${top.digest}`);
  const entry = selectManifest(index.manifests, platform, `image ${image} (index ${top.digest})`);
  const chosen = await fetchVerified(f, entry.digest, image);
  if (chosen.bytes.length !== entry.size) {
    throw invalidArgument(
      `image ${image}: manifest ${entry.digest} is ${chosen.bytes.length} bytes, the index says ${entry.size}`,
    );
  }
  if (!isManifestType(chosen.mediaType)) {
    throw invalidArgument(
      `image ${image}: index entry ${entry.digest} is a ${JSON.stringify(chosen.mediaType)}, not an image manifest`,
    );
  }
  const manifestDesc = await storeManifest(f.store, f, chosen);
  return {
    top,
    manifestDesc,
    manifest: parseManifest(chosen.bytes, `image ${image} manifest ${entry.digest}`),
  };
}

/** A manifest already in the store needs no request (it was verified when stored). */
async function fetchVerified(
  f: BlobFetcher,
  tagOrDigest: string,
  image: string,
): Promise<FetchedManifest> {
  if (tagOrDigest.startsWith("sha256:")) {
    const digest = tagOrDigest as FetchedManifest["digest"];
    await f.protect({ blobs: [digest] });
    if (await f.store.content.has(digest)) {
      const bytes = await f.store.content.read(digest);
      const mediaType = storedMediaType(bytes);
      if (mediaType !== undefined) return { digest, mediaType, bytes };
    }
  }
  return fetchManifest(f.target, tagOrDigest, image);
}

async function storeManifest(
  store: ImageStore,
  f: BlobFetcher,
  m: FetchedManifest,
): Promise<Descriptor> {
  await f.protect({ blobs: [m.digest] });
  await store.content.write(m.bytes, { digest: m.digest }, `manifest ${m.digest}`);
  return { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
}

function storedMediaType(bytes: Buffer): string | undefined {
  try {
    const mediaType = (JSON.parse(bytes.toString("utf8")) as { mediaType?: unknown }).mediaType;
    return typeof mediaType === "string" ? mediaType : undefined;
  } catch {
    return undefined;
  }
}
