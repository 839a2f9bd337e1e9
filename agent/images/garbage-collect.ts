import { promises as fs } from "node:fs";
import path from "node:path";
import type { ContentStore } from "./content-store.js";
import { chainIds, type Digest } from "./digest.js";
import type { ImageRecord } from "./image-records.js";
import type { Lease } from "./leases.js";
import { isProcessAlive } from "./process-alive.js";
import type { Snapshotter } from "./snapshotter.js";
import { scratchOwner, type StorePaths } from "./store-paths.js";

export interface Collected {
  blobs: number;
  snapshots: number;
}

/**
 * Deletes every blob and snapshot that no image and no lease references, and the scratch files of
 * processes that died mid-write. Call with the store lock held.
 */
export async function collectGarbage(deps: {
  paths: StorePaths;
  content: ContentStore;
  snapshots: Snapshotter;
  images: ImageRecord[];
  leases: Lease[];
}): Promise<Collected> {
  const { paths, content, snapshots, images, leases } = deps;
  const blobs = new Set<Digest>(leases.flatMap((l) => l.blobs));
  const chains = new Set<Digest>(leases.flatMap((l) => l.snapshots));
  for (const image of images) {
    blobs.add(image.manifest.digest).add(image.config.digest);
    // Every manifest a repo digest names stays: the image was imported from each of them.
    image.repoDigests.forEach((d) => blobs.add(d.slice(d.indexOf("@") + 1) as Digest));
    image.layers.forEach((l) => blobs.add(l.digest));
    chainIds(image.diffIds).forEach((c) => chains.add(c));
  }
  const collected: Collected = { blobs: 0, snapshots: 0 };
  for (const blob of await content.list()) {
    if (blobs.has(blob.digest)) continue;
    await content.delete(blob.digest);
    collected.blobs += 1;
  }
  for (const chain of await snapshots.list()) {
    if (chains.has(chain)) continue;
    await snapshots.remove(chain);
    collected.snapshots += 1;
  }
  await removeDeadScratch(paths.snapshots, [".tmp", ".del"]);
  await removeDeadScratch(paths.ingest, ["ingest"]);
  await removeDeadScratch(paths.metadata, [".tmp"]);
  await removeDeadScratch(paths.leases, [".tmp"]);
  return collected;
}

async function removeDeadScratch(dir: string, prefixes: string[]): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    for (const prefix of prefixes) {
      const owner = scratchOwner(name, prefix);
      if (owner !== undefined && !isProcessAlive(owner)) {
        await fs.rm(path.join(dir, name), { recursive: true, force: true });
      }
    }
  }
}
