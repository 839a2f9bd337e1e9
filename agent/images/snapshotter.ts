import { promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { errnoCode, invalidArgument, notFound } from "../../lib/errors.js";
import { writeFileAtomic } from "./atomic-file.js";
import type { Digest } from "./digest.js";
import { applyLayer } from "./layer-apply.js";
import type { LowerLayer } from "./merged-view.js";
import { scratchName, type StorePaths } from "./store-paths.js";
import { diskUsage, type Usage } from "./disk-usage.js";

export interface SnapshotMeta {
  chainId: Digest;
  parent?: Digest;
  diffId: Digest;
  opaque: string[];
  usage: Usage;
}

/**
 * Read-only overlay snapshots keyed by chain ID: each layer is unpacked once, into its own
 * directory, on top of its parent's chain. A snapshot is unpacked in a scratch directory and
 * renamed into place whole, so a present snapshot is always complete, even across killed imports
 * and concurrent processes unpacking the same layer.
 */
export class Snapshotter {
  constructor(private readonly paths: StorePaths) {}

  async exists(chainId: Digest): Promise<boolean> {
    return (await this.meta(chainId).catch(() => undefined)) !== undefined;
  }

  async meta(chainId: Digest): Promise<SnapshotMeta> {
    try {
      const text = await fs.readFile(path.join(this.paths.snapshot(chainId), "meta.json"), "utf8");
      return JSON.parse(text) as SnapshotMeta;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") throw notFound(`snapshot ${chainId} does not exist`);
      throw err;
    }
  }

  /** The overlay lowerdirs of a chain, top layer first. */
  lowerDirs(chain: Digest[]): string[] {
    return [...chain].reverse().map((c) => this.paths.snapshotFs(c));
  }

  /**
   * Unpacks a layer as snapshot `chainId` above `parents` (its chain below it, bottom first),
   * unless it already exists. The unpacked tar must hash to `diffId`.
   */
  async prepare(
    chainId: Digest,
    parents: Digest[],
    diffId: Digest,
    open: () => Promise<Readable>,
  ): Promise<SnapshotMeta> {
    const existing = await this.meta(chainId).catch(() => undefined);
    if (existing) return existing;
    const lowers: LowerLayer[] = [];
    for (const parent of [...parents].reverse()) {
      const meta = await this.meta(parent);
      lowers.push({ dir: this.paths.snapshotFs(parent), opaque: new Set(meta.opaque) });
    }
    const scratch = path.join(this.paths.snapshots, scratchName(".tmp"));
    try {
      await fs.mkdir(path.join(scratch, "fs"), { recursive: true, mode: 0o755 });
      const applied = await applyLayer(await open(), path.join(scratch, "fs"), lowers);
      if (applied.diffId !== diffId) {
        throw invalidArgument(
          `unpacked layer is ${applied.diffId}, but the image config says ${diffId}`,
        );
      }
      const meta: SnapshotMeta = {
        chainId,
        parent: parents.at(-1),
        diffId,
        opaque: applied.opaque,
        usage: await diskUsage(path.join(scratch, "fs")),
      };
      await writeFileAtomic(path.join(scratch, "meta.json"), JSON.stringify(meta));
      try {
        await fs.rename(scratch, this.paths.snapshot(chainId));
      } catch (err) {
        // Another process finished the same snapshot first; theirs is as good as ours.
        if (errnoCode(err) !== "ENOTEMPTY" && errnoCode(err) !== "EEXIST") throw err;
      }
      return meta;
    } finally {
      await fs.rm(scratch, { recursive: true, force: true });
    }
  }

  async list(): Promise<Digest[]> {
    const names = await fs.readdir(this.paths.snapshots);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}` as Digest);
  }

  /** Removes a snapshot; it first disappears as a whole (rename), then its files are deleted. */
  async remove(chainId: Digest): Promise<void> {
    const doomed = path.join(this.paths.snapshots, scratchName(".del"));
    try {
      await fs.rename(this.paths.snapshot(chainId), doomed);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return;
      throw err;
    }
    await fs.rm(doomed, { recursive: true, force: true });
  }
}
