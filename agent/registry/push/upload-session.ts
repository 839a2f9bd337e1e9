import { pushScope, mountScope, type RegistryTarget } from "./push-target.js";
import { checkDigestHeader, discard, nextLocation } from "./response-checks.js";

export type UploadStart = { mounted: true } | { mounted: false; url: string };

/**
 * Opens an upload session (POST …/blobs/uploads/). With `from`, asks the registry to mount the
 * blob from that repository instead: 201 means it did and nothing needs sending; 202 means it
 * could not and opened an ordinary session.
 */
export async function startUpload(
  target: RegistryTarget,
  digest: string,
  what: string,
  from?: string,
): Promise<UploadStart> {
  const query = from === undefined ? "" : `?mount=${digest}&from=${from}`;
  const res = await target.transport.request(
    target.host,
    {
      method: "POST",
      path: `/v2/${target.name}/blobs/uploads/${query}`,
      scope: from === undefined ? pushScope(target) : mountScope(target, from),
      expect: from === undefined ? [202] : [201, 202],
    },
    target.auth,
  );
  discard(res);
  if (res.status === 201) {
    checkDigestHeader(res, digest, `${what}: mount from ${from}`);
    return { mounted: true };
  }
  return { mounted: false, url: nextLocation(target.transport, res, `${what}: upload start`) };
}

/** Abandons an upload session we opened but will not use. */
export async function cancelUpload(target: RegistryTarget, url: string): Promise<void> {
  try {
    const res = await target.transport.requestUrl(
      target.host,
      url,
      { method: "DELETE", scope: pushScope(target), expect: [202, 204, 404] },
      target.auth,
    );
    discard(res);
  } catch {
    // Registries expire abandoned sessions themselves; failing to cancel one loses nothing.
  }
}
