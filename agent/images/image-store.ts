import { promises as fs } from "node:fs";
import { invalidArgument } from "../../lib/errors.js";
import { ContentStore } from "./content-store.js";
import { chainIds, isDigest, type Digest } from "./digest.js";
import { collectGarbage, type Collected } from "./garbage-collect.js";
import { ImageRecords, type ImageRecord } from "./image-records.js";
import { Leases, type Lease } from "./leases.js";
import { formatReference, parseReference, normalizeReference } from "./reference.js";
import { Snapshotter } from "./snapshotter.js";
import { withStoreLock } from "./store-lock.js";
import { StorePaths } from "./store-paths.js";
import type { Usage } from "./disk-usage.js";

/**
 * The node's images: content store, snapshots and image records under one root. Safe to use from
 * several processes at once (an agent and `berth image` commands): readers never lock, writers
 * take the store lock only to commit, and in-flight work is protected from GC by leases.
 */
export class ImageStore {
  readonly content: ContentStore;
  readonly snapshots: Snapshotter;
  private readonly records: ImageRecords;
  private readonly leases: Leases;

  private constructor(readonly paths: StorePaths) {
    this.content = new ContentStore(paths);
    this.snapshots = new Snapshotter(paths);
    this.records = new ImageRecords(paths.images);
    this.leases = new Leases(paths.leases);
  }

  static async open(root: string): Promise<ImageStore> {
    const paths = new StorePaths(root);
    for (const dir of paths.all()) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return new ImageStore(paths);
  }

  list(): Promise<ImageRecord[]> {
    return this.records.read();
  }

  /**
   * The image a reference names: "repo:tag" (":latest" implied), "repo@sha256:…", an image id
   * ("sha256:…" or bare hex) or a unique prefix of one. Undefined when nothing matches.
   */
  async find(ref: string): Promise<ImageRecord | undefined> {
    return findImage(await this.list(), ref);
  }

  /** Removes the image `ref` names, with all its tags, and frees what nothing else uses. */
  async remove(ref: string): Promise<ImageRecord | undefined> {
    return this.locked(async () => {
      const image = findImage(await this.records.read(), ref);
      if (!image) return undefined;
      const images = await this.records.update((all) => all.filter((i) => i.id !== image.id));
      await this.collect(images);
      return image;
    });
  }

  /** Runs `work` under a lease, then commits what it returns as image records (or collects its debris). */
  async withLease(
    work: (
      lease: Lease,
      protect: (r: { blobs?: Digest[]; snapshots?: Digest[] }) => Promise<void>,
    ) => Promise<ImageRecord[]>,
  ): Promise<ImageRecord[]> {
    const lease = await this.locked(() => this.leases.create());
    const protect = (r: { blobs?: Digest[]; snapshots?: Digest[] }) =>
      this.locked(() => this.leases.add(lease, r));
    let made: ImageRecord[];
    try {
      made = await work(lease, protect);
    } catch (err) {
      await this.locked(async () => {
        await this.leases.release(lease);
        await this.collect(await this.records.read());
      });
      throw err;
    }
    return this.locked(async () => {
      const images = await this.records.update((all) => made.reduce(mergeImage, all));
      await this.leases.release(lease);
      // What the import fetched but no image uses (other platforms' manifests, indexes) goes now.
      await this.collect(images);
      return made.map((m) => images.find((i) => i.id === m.id) as ImageRecord);
    });
  }

  /**
   * Keeps an image's snapshots (and blobs) for `owner`, e.g. a container whose root is mounted
   * from them, even after the image itself is removed. Fails if a snapshot is already gone.
   */
  async retain(owner: string, image: ImageRecord): Promise<void> {
    const snapshots = chainIds(image.diffIds);
    await this.locked(async () => {
      for (const s of snapshots) await this.snapshots.meta(s);
      await this.leases.createNamed(`hold-${owner}`, { snapshots, blobs: [image.config.digest] });
    });
  }

  /** Ends what retain() kept; what nothing else uses is collected. */
  async release(owner: string): Promise<void> {
    await this.locked(async () => {
      await this.leases.release({ id: `hold-${owner}` });
      await this.collect(await this.records.read());
    });
  }

  /** Bytes and inodes the store takes: blobs plus unpacked snapshots. */
  async usage(): Promise<Usage> {
    const usage: Usage = { bytes: 0, inodes: 0 };
    const blobs = await this.content.usage();
    usage.bytes += blobs.bytes;
    usage.inodes += blobs.inodes;
    for (const chain of await this.snapshots.list()) {
      const meta = await this.snapshots.meta(chain).catch(() => undefined);
      if (!meta) continue;
      usage.bytes += meta.usage.bytes;
      usage.inodes += meta.usage.inodes;
    }
    return usage;
  }

  /** Collects garbage now (also done by every remove and failed import). */
  gc(): Promise<Collected> {
    return this.locked(async () => this.collect(await this.records.read()));
  }

  private async collect(images: ImageRecord[]): Promise<Collected> {
    return collectGarbage({
      paths: this.paths,
      content: this.content,
      snapshots: this.snapshots,
      images,
      leases: await this.leases.active(),
    });
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withStoreLock(this.paths.lock, fn);
  }
}

/** Adds an image, merging with the record of the same id and taking its tags from any other image. */
export function mergeImage(images: ImageRecord[], image: ImageRecord): ImageRecord[] {
  const others = images
    .filter((i) => i.id !== image.id)
    .map((i) => ({ ...i, repoTags: i.repoTags.filter((t) => !image.repoTags.includes(t)) }));
  const existing = images.find((i) => i.id === image.id);
  const merged: ImageRecord = existing
    ? {
        ...image,
        repoTags: union(existing.repoTags, image.repoTags),
        repoDigests: union(existing.repoDigests, image.repoDigests),
      }
    : image;
  return [...others, merged];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

export function findImage(images: ImageRecord[], ref: string): ImageRecord | undefined {
  if (isDigest(ref)) return images.find((i) => i.id === ref);
  if (/^[a-f0-9]{64}$/.test(ref)) return images.find((i) => i.id === `sha256:${ref}`);
  let named: ImageRecord | undefined;
  try {
    const parsed = normalizeReference(ref);
    const text = formatReference(parsed);
    named = parsed.digest
      ? images.find((i) => i.repoDigests.includes(`${parsed.repository}@${parsed.digest}`))
      : images.find((i) => i.repoTags.includes(text));
  } catch {
    named = undefined;
  }
  if (named) return named;
  const prefix = /^(?:sha256:)?([a-f0-9]{1,63})$/.exec(ref)?.[1];
  if (prefix === undefined) {
    parseReference(ref); // a malformed reference is an error, not "absent"
    return undefined;
  }
  const matches = images.filter((i) => i.id.startsWith(`sha256:${prefix}`));
  if (matches.length > 1) {
    throw invalidArgument(
      `image id prefix ${JSON.stringify(ref)} is ambiguous: ${matches.length} images match`,
    );
  }
  return matches[0];
}
