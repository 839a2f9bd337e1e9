import { pushScope, type RegistryTarget } from "./push-target.js";
import { checkDigestHeader, discard } from "./response-checks.js";

/**
 * PUTs the manifest's exact bytes under `reference` (a tag or its digest), so the registry
 * computes the same digest the node has.
 */
export async function putManifest(
  target: RegistryTarget,
  reference: string,
  manifest: { bytes: Buffer; mediaType: string; digest: string },
  what: string,
): Promise<void> {
  const res = await target.transport.request(
    target.host,
    {
      method: "PUT",
      path: `/v2/${target.name}/manifests/${reference}`,
      headers: { "content-type": manifest.mediaType },
      body: manifest.bytes,
      scope: pushScope(target),
      expect: [201],
    },
    target.auth,
  );
  discard(res);
  checkDigestHeader(res, manifest.digest, `${what} manifest`);
}
