import { invalidArgument } from "../../../lib/errors.js";
import type { ContentStore } from "../content-store.js";
import { digestHex } from "../digest.js";
import {
  isIndexType,
  isManifestType,
  parseIndex,
  parseJson,
  parseManifest,
  type Descriptor,
} from "../manifest.js";
import { hostPlatform, matchesPlatform } from "../platform.js";
import type { ImportCandidate } from "./candidate.js";
import { importNames, splitRefName } from "./image-names.js";
import type { ImportSource } from "./import-source.js";

const containerdName = "io.containerd.image.name";
const refName = "org.opencontainers.image.ref.name";

/** The images of an OCI image layout, every blob they use copied into the content store. */
export async function readOciLayout(
  source: ImportSource,
  content: ContentStore,
  name: string | undefined,
): Promise<ImportCandidate[]> {
  const layoutFile = await source.file("oci-layout");
  if (!layoutFile) throw invalidArgument("OCI layout: the oci-layout file is missing");
  const version = parseJson(layoutFile, "oci-layout").imageLayoutVersion;
  if (typeof version !== "string" || !version.startsWith("1.")) {
    throw invalidArgument(`oci-layout: unsupported imageLayoutVersion ${JSON.stringify(version)}`);
  }
  const indexFile = await source.file("index.json");
  if (!indexFile) throw invalidArgument("OCI layout: index.json is missing");
  const index = parseIndex(indexFile, "index.json");

  const candidates: ImportCandidate[] = [];
  for (const [i, entry] of index.manifests.entries()) {
    const origin = `index.json manifests[${i}]`;
    const annotations = entry.annotations ?? {};
    const carried = annotations[containerdName]
      ? { full: annotations[containerdName] }
      : splitRefName(annotations[refName]);
    const names = importNames(carried, name, origin);
    // Blob errors name the image too, not only its place in index.json.
    const where = names.length > 0 ? `${origin} (image ${names[0]})` : origin;
    const manifest = await pickManifest(source, content, entry, where);
    await copyReferenced(source, content, manifest, where);
    candidates.push({ manifest, names, origin });
  }
  return candidates;
}

async function fetch(source: ImportSource, desc: Descriptor, what: string) {
  return source.blob(`blobs/sha256/${digestHex(desc.digest)}`, desc, what);
}

/** The manifest for this machine's platform, following an index if the entry is one. */
async function pickManifest(
  source: ImportSource,
  content: ContentStore,
  entry: Descriptor,
  origin: string,
): Promise<Descriptor> {
  await fetch(source, entry, origin);
  if (isManifestType(entry.mediaType)) return entry;
  if (!isIndexType(entry.mediaType)) {
    throw invalidArgument(`${origin}: unsupported media type ${JSON.stringify(entry.mediaType)}`);
  }
  const index = parseIndex(await content.read(entry.digest), `${origin} (index ${entry.digest})`);
  const platform = hostPlatform();
  const match = index.manifests.find(
    (m) => isManifestType(m.mediaType) && (!m.platform || matchesPlatform(m.platform, platform)),
  );
  if (!match) {
    throw invalidArgument(
      `${origin}: index ${entry.digest} has no manifest for ${platform.os}/${platform.architecture}`,
    );
  }
  return pickManifest(source, content, match, `${origin} -> ${match.digest}`);
}

async function copyReferenced(
  source: ImportSource,
  content: ContentStore,
  manifestDesc: Descriptor,
  origin: string,
): Promise<void> {
  const manifest = parseManifest(
    await content.read(manifestDesc.digest),
    `manifest ${manifestDesc.digest}`,
  );
  await fetch(source, manifest.config, `${origin} config`);
  for (const [i, layer] of manifest.layers.entries()) {
    await fetch(source, layer, `${origin} layers[${i}]`);
  }
}
