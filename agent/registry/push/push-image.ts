import { invalidArgument, notFound } from "../../../lib/errors.js";
import { sha256 } from "../../images/digest.js";
import type { ImageRecord } from "../../images/image-records.js";
import type { ImageStore } from "../../images/image-store.js";
import type { Descriptor } from "../../images/manifest.js";
import { formatReference, normalizeReference, type Reference } from "../../images/reference.js";
import { concurrencyLimit } from "../pull/concurrency-limit.js";
import type { PushProgress, RegistryAuth, RegistryTransport } from "../registry-api.js";
import { pushBlob } from "./blob-push.js";
import { putManifest } from "./manifest-put.js";
import { mountSources } from "./mount-sources.js";
import { registryTarget } from "./push-target.js";

export interface PushOptions {
  auth?: RegistryAuth;
  onProgress?: (p: PushProgress) => void;
  /** Bytes per PATCH of a chunked upload; 0 (the default) sends each blob in one PUT. */
  chunkSize?: number;
  /** Repositories on the target registry to try cross-repository mounts from. */
  mountFrom?: string[];
}

/** Blobs sent at once. */
const concurrency = 3;

/**
 * Pushes a local image to a registry: its layer and config blobs (skipping those the repository
 * has, mounting those another repository on the registry has), then its manifest, byte for byte,
 * so the pushed digest is the local one. The store keeps only the platform manifest an image was
 * imported or pulled with, so that is what is pushed (never the index it came from).
 */
export async function pushImage(
  store: ImageStore,
  transport: RegistryTransport,
  source: string,
  target?: string,
  options: PushOptions = {},
): Promise<{ digest: string; reference: string }> {
  const chunkSize = options.chunkSize ?? 0;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 0) {
    throw invalidArgument(`chunkSize: ${chunkSize} is not a non-negative integer`, {
      field: "chunkSize",
    });
  }
  const report = options.onProgress ?? (() => {});

  let pushed: { digest: string; reference: string } | undefined;
  await store.withLease(async (_lease, protect) => {
    const image = await store.find(source);
    if (!image) throw notFound(`image ${JSON.stringify(source)} not found locally`);
    const blobs = [...image.layers, image.config];
    // Kept from collection while they are read, even if the image is removed meanwhile.
    await protect({ blobs: [image.manifest.digest, ...blobs.map((b) => b.digest)] });
    // A missing blob fails here, naming it, rather than as a broken upload stream later.
    for (const blob of blobs) await store.content.size(blob.digest);

    const manifest = await store.content.read(image.manifest.digest);
    const digest = sha256(manifest);
    const ref = targetReference(source, image, target);
    const reference = formatReference({
      repository: ref.repository,
      ...(ref.tag ? { tag: ref.tag } : { digest }),
    });
    const what = `push ${reference}`;
    const dest = registryTarget(transport, ref, options.auth);
    const mountFrom = mountSources(dest, image, options.mountFrom);

    const limit = concurrencyLimit(concurrency);
    const pushOne = (blob: Descriptor, i: number) =>
      limit(async () => {
        const how = await pushBlob(
          dest,
          { digest: blob.digest, size: blob.size, file: store.content.path(blob.digest) },
          {
            chunkSize,
            mountFrom,
            what: `${what}: ${i < image.layers.length ? `layers[${i}]` : "config"} ${blob.digest}`,
            onSent: (sent) => report({ kind: "blob", digest: blob.digest, sent, total: blob.size }),
          },
        );
        report({ kind: "blob-done", digest: blob.digest, how });
      });
    await settleAll(blobs.map(pushOne));

    await putManifest(
      dest,
      ref.tag ?? digest,
      { bytes: manifest, mediaType: image.manifest.mediaType, digest },
      what,
    );
    report({ kind: "manifest", digest, reference });
    pushed = { digest, reference };
    return [];
  });
  return pushed as { digest: string; reference: string };
}

/**
 * Where the image goes: `target`, or the name `source` found it by. An id names no repository,
 * and a digest in the target must be the image's own.
 */
function targetReference(source: string, image: ImageRecord, target?: string): Reference {
  const ref =
    target === undefined ? sourceName(source, image) : normalizeReference(target, "target");
  if (ref.digest !== undefined && ref.digest !== image.manifest.digest) {
    throw invalidArgument(
      `target: ${formatReference(ref)} names digest ${ref.digest}, but the image's manifest is ${image.manifest.digest}`,
      { field: "target" },
    );
  }
  return ref;
}

function sourceName(source: string, image: ImageRecord): Reference {
  let ref: Reference | undefined;
  try {
    ref = normalizeReference(source);
  } catch {
    ref = undefined;
  }
  const named =
    ref !== undefined &&
    (ref.digest !== undefined
      ? image.repoDigests.includes(`${ref.repository}@${ref.digest}`)
      : image.repoTags.includes(formatReference(ref)));
  if (!ref || !named) {
    throw invalidArgument(
      `target: ${JSON.stringify(source)} names the image by id, not by a repository: give a target reference`,
      { field: "target" },
    );
  }
  return ref;
}

/** Waits for every push to end before failing with the first error, so none runs on unseen. */
async function settleAll(work: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
