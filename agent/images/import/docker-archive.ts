import { open } from "node:fs/promises";
import { invalidArgument } from "../../../lib/errors.js";
import type { ContentStore } from "../content-store.js";
import { mediaTypes, type Descriptor } from "../manifest.js";
import type { ImportCandidate } from "./candidate.js";
import { importNames } from "./image-names.js";
import type { ImportSource, Protect } from "./import-source.js";

interface ArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * The images of a docker-archive (`docker save`): manifest.json lists each image's config file,
 * layer tars and tags. Docker keeps no registry manifest there, so one is made (OCI, layers as
 * stored) and becomes the image's repo digest, the same way for every import of the same archive.
 */
export async function readDockerArchive(
  source: ImportSource,
  content: ContentStore,
  protect: Protect,
  name: string | undefined,
): Promise<ImportCandidate[]> {
  const file = await source.file("manifest.json");
  if (!file) throw invalidArgument("docker-archive: manifest.json is missing");
  const entries = parseEntries(file);
  const candidates: ImportCandidate[] = [];
  for (const [i, entry] of entries.entries()) {
    const origin = `manifest.json[${i}]`;
    const tags = entry.RepoTags ?? [];
    const names =
      tags.length === 0
        ? importNames({}, name, origin)
        : name !== undefined
          ? importNames({ full: tags[0] }, name, origin)
          : tags.flatMap((t) => importNames({ full: t }, undefined, origin));
    // Blob errors name the image too, not only its place in manifest.json.
    const where = names.length > 0 ? `${origin} (image ${names[0]})` : origin;
    const config = await source.blob(entry.Config, {}, `${where} Config`);
    const layers: Descriptor[] = [];
    for (const [j, layerPath] of entry.Layers.entries()) {
      const layer = await source.blob(layerPath, {}, `${where} Layers[${j}]`);
      const gzip = await isGzip(content.path(layer.digest));
      layers.push({ mediaType: gzip ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer, ...layer });
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mediaTypes.ociManifest,
        config: { mediaType: mediaTypes.ociConfig, ...config },
        layers,
      }),
    );
    const stored = await content.write(manifest, {}, `${origin} manifest`, (d) => protect([d]));
    candidates.push({ manifest: { mediaType: mediaTypes.ociManifest, ...stored }, names, origin });
  }
  return candidates;
}

function parseEntries(file: Buffer): ArchiveEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString("utf8"));
  } catch (err) {
    throw invalidArgument(
      `docker-archive manifest.json: not valid JSON: ${(err as Error).message}`,
    );
  }
  if (!Array.isArray(parsed))
    throw invalidArgument("docker-archive manifest.json: expected an array");
  return parsed.map((e, i) => {
    const entry = e as ArchiveEntry;
    if (typeof entry?.Config !== "string" || !Array.isArray(entry.Layers)) {
      throw invalidArgument(`docker-archive manifest.json[${i}]: needs Config and Layers`, {
        field: `manifest.json[${i}]`,
      });
    }
    return entry;
  });
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
