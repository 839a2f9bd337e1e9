import { promises as fs } from "node:fs";
import { errnoCode, internal } from "../../lib/errors.js";
import { writeFileAtomic } from "./atomic-file.js";
import type { Digest } from "./digest.js";
import type { Descriptor, Platform } from "./manifest.js";

/** One image as the node knows it; its id is the config digest, as in CRI and Docker. */
export interface ImageRecord {
  id: Digest;
  /** Fully qualified "repository:tag" names. */
  repoTags: string[];
  /** "repository@sha256:<manifest digest>" names. */
  repoDigests: string[];
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: Digest[];
  /** Summary of the config blob, kept so listing never reads blobs. */
  user: string;
  platform: Platform;
  created?: string;
  /** Bytes of the manifest, config and layer blobs: what the image takes in the content store. */
  size: number;
}

interface ImagesFile {
  version: 1;
  images: ImageRecord[];
}

/** images.json: read without a lock (it is only ever replaced whole), changed only under the store lock. */
export class ImageRecords {
  constructor(private readonly file: string) {}

  async read(): Promise<ImageRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, "utf8");
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
    const parsed = JSON.parse(text) as ImagesFile;
    if (parsed.version !== 1) throw internal(`${this.file}: unknown version ${parsed.version}`);
    return parsed.images;
  }

  /** Call with the store lock held. */
  async update(change: (images: ImageRecord[]) => ImageRecord[]): Promise<ImageRecord[]> {
    const images = change(await this.read());
    const file: ImagesFile = { version: 1, images };
    await writeFileAtomic(this.file, JSON.stringify(file, null, 1));
    return images;
  }
}
