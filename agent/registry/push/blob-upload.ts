import { unavailable } from "../../../lib/errors.js";
import type { RegistryRequest } from "../registry-api.js";
import { fileRange } from "./blob-source.js";
import { pushScope, type RegistryTarget } from "./push-target.js";
import { checkDigestHeader, discard, header, nextLocation, withQuery } from "./response-checks.js";

export interface BlobFile {
  digest: string;
  size: number;
  /** Where the blob's bytes are (the content store's file). */
  file: string;
}

export interface UploadOptions {
  /** Bytes per PATCH; 0 sends the whole blob with the closing PUT. */
  chunkSize: number;
  onSent: (sent: number) => void;
  /** Names the blob in errors. */
  what: string;
}

const octetStream = "application/octet-stream";

/** Sends a blob into the upload session at `url` and closes it with the blob's digest. */
export async function uploadBlob(
  target: RegistryTarget,
  url: string,
  blob: BlobFile,
  options: UploadOptions,
): Promise<void> {
  if (options.chunkSize === 0) {
    await closeUpload(target, url, blob, options, {
      headers: { "content-type": octetStream, "content-length": String(blob.size) },
      body: fileRange(blob.file, 0, blob.size, options.onSent),
    });
    return;
  }
  let location = url;
  for (let start = 0; start < blob.size; start += options.chunkSize) {
    const end = Math.min(start + options.chunkSize, blob.size);
    location = await sendChunk(target, location, blob, start, end, options);
  }
  await closeUpload(target, location, blob, options, {
    headers: { "content-length": "0" },
    body: Buffer.alloc(0),
  });
}

/** PATCHes bytes [start, end) and answers where the upload goes on. */
async function sendChunk(
  target: RegistryTarget,
  url: string,
  blob: BlobFile,
  start: number,
  end: number,
  options: UploadOptions,
): Promise<string> {
  const res = await target.transport.requestUrl(
    target.host,
    url,
    {
      method: "PATCH",
      headers: {
        "content-type": octetStream,
        "content-length": String(end - start),
        "content-range": `${start}-${end - 1}`,
      },
      body: fileRange(blob.file, start, end, options.onSent),
      scope: pushScope(target),
      expect: [202],
    },
    target.auth,
  );
  discard(res);
  const range = header(res, "range");
  if (range !== undefined && range !== `0-${end - 1}`) {
    throw unavailable(
      `${options.what}: after sending bytes up to ${end - 1} the registry holds ${range}`,
    );
  }
  return nextLocation(target.transport, res, `${options.what}: upload chunk`);
}

async function closeUpload(
  target: RegistryTarget,
  url: string,
  blob: BlobFile,
  options: UploadOptions,
  content: Pick<RegistryRequest, "headers" | "body">,
): Promise<void> {
  const res = await target.transport.requestUrl(
    target.host,
    withQuery(url, "digest", blob.digest),
    { method: "PUT", ...content, scope: pushScope(target), expect: [201] },
    target.auth,
  );
  discard(res);
  checkDigestHeader(res, blob.digest, options.what);
}
