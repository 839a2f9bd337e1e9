import { isBerthError } from "../../../lib/errors.js";
import { uploadBlob, type BlobFile } from "./blob-upload.js";
import { pushScope, type RegistryTarget } from "./push-target.js";
import { discard } from "./response-checks.js";
import { cancelUpload, startUpload } from "./upload-session.js";

export type BlobOutcome = "uploaded" | "exists" | "mounted";

export interface BlobPushOptions {
  chunkSize: number;
  /** Repositories on the target registry that may hold the blob already. */
  mountFrom: string[];
  onSent: (sent: number) => void;
  what: string;
}

/** Gets one blob into the target repository the cheapest way: already there, mounted, or sent. */
export async function pushBlob(
  target: RegistryTarget,
  blob: BlobFile,
  options: BlobPushOptions,
): Promise<BlobOutcome> {
  if (await blobExists(target, blob.digest)) return "exists";
  let session: string | undefined;
  for (const [i, from] of options.mountFrom.entries()) {
    const start = await tryMount(target, blob.digest, options.what, from);
    if (start === undefined) continue;
    if (start.mounted) return "mounted";
    // A refused mount opened an ordinary session: the last one is used, the others dropped.
    if (i === options.mountFrom.length - 1) session = start.url;
    else await cancelUpload(target, start.url);
  }
  if (session === undefined) {
    const start = await startUpload(target, blob.digest, options.what);
    if (start.mounted) return "mounted";
    session = start.url;
  }
  await uploadBlob(target, session, blob, options);
  return "uploaded";
}

async function blobExists(target: RegistryTarget, digest: string): Promise<boolean> {
  const res = await target.transport.request(
    target.host,
    {
      method: "HEAD",
      path: `/v2/${target.name}/blobs/${digest}`,
      scope: pushScope(target),
      // Registries redirect reads of blobs they hold to their storage backend.
      expect: [200, 404, 301, 302, 303, 307, 308],
    },
    target.auth,
  );
  discard(res);
  return res.status !== 404;
}

/**
 * A mount the credentials do not allow (no pull on the source, or the source is gone) is no
 * failure of the push: the blob is then sent. Anything else (the registry down) is.
 */
async function tryMount(target: RegistryTarget, digest: string, what: string, from: string) {
  try {
    return await startUpload(target, digest, what, from);
  } catch (err) {
    if (
      isBerthError(err, "Unauthenticated") ||
      isBerthError(err, "PermissionDenied") ||
      isBerthError(err, "NotFound")
    ) {
      return undefined;
    }
    throw err;
  }
}
