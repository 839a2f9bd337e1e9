import { invalidArgument } from "../../../lib/errors.js";
import { sha256, type Digest } from "../../images/digest.js";
import { mediaTypes, parseJson } from "../../images/manifest.js";
import { readBody } from "./read-body.js";
import { header, registryGet } from "./registry-get.js";
import type { RegistryTarget } from "./registry-target.js";

/** Every schema 2 form, so registries that keep OCI manifests (docker-registry 2.8) serve them. */
export const manifestAccept = [
  mediaTypes.ociManifest,
  mediaTypes.ociIndex,
  mediaTypes.dockerManifest,
  mediaTypes.dockerManifestList,
].join(", ");

const schema1Types = [
  "application/vnd.docker.distribution.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
];

/** Manifests and indexes are small; containerd caps them at 4 MiB too. */
const maxManifestBytes = 4 * 1024 * 1024;

export interface FetchedManifest {
  digest: Digest;
  mediaType: string;
  bytes: Buffer;
}

/**
 * Fetches the manifest (or index) `tagOrDigest` names and proves its bytes are the ones asked
 * for: by digest, they must hash to it; by tag, to the Docker-Content-Digest the registry sent.
 * `image` names the reference in errors.
 */
export async function fetchManifest(
  target: RegistryTarget,
  tagOrDigest: string,
  image: string,
): Promise<FetchedManifest> {
  const what = `image ${image}: manifest ${tagOrDigest}`;
  const res = await registryGet(
    target,
    `/v2/${target.name}/manifests/${tagOrDigest}`,
    { accept: manifestAccept },
    [200],
    what,
  );
  const bytes = await readBody(res.body, maxManifestBytes, what);
  const digest = sha256(bytes);
  if (tagOrDigest.startsWith("sha256:") && digest !== tagOrDigest) {
    throw invalidArgument(
      `${what}: digest mismatch: the registry sent bytes that hash to ${digest}`,
    );
  }
  const announced = header(res, "docker-content-digest");
  if (announced?.startsWith("sha256:") && announced !== digest) {
    throw invalidArgument(
      `${what}: digest mismatch: Docker-Content-Digest says ${announced}, the bytes hash to ${digest}`,
    );
  }
  const contentType = header(res, "content-type")?.split(";")[0].trim();
  const mediaType = manifestMediaType(bytes, contentType, image, what);
  return { digest, mediaType, bytes };
}

/** The manifest's media type, from its body or else the Content-Type; schema 1 is refused here. */
function manifestMediaType(
  bytes: Buffer,
  contentType: string | undefined,
  image: string,
  what: string,
): string {
  const refuse = (form: string) =>
    invalidArgument(
      `image ${image}: the registry serves a Docker schema 1 manifest (${form}), which is ` +
        "deprecated and not supported: push the image again with a current client (schema 2 or OCI)",
      { field: "image" },
    );
  if (contentType && schema1Types.includes(contentType)) throw refuse(contentType);
  const body = parseJson(bytes, what);
  if (body.schemaVersion === 1) throw refuse("schemaVersion 1");
  if (typeof body.mediaType === "string") {
    if (schema1Types.includes(body.mediaType)) throw refuse(body.mediaType);
    return body.mediaType;
  }
  // OCI manifests may leave mediaType out: the Content-Type, or the shape, tells which it is.
  if (contentType && contentType !== "application/json") return contentType;
  return Array.isArray(body.manifests) ? mediaTypes.ociIndex : mediaTypes.ociManifest;
}
