import path from "node:path";
import { digestHex, type Digest } from "./digest.js";

/** Where each part of the image store lives under the node's --root. */
export class StorePaths {
  constructor(readonly root: string) {}

  get blobs(): string {
    return path.join(this.root, "content", "blobs", "sha256");
  }
  get ingest(): string {
    return path.join(this.root, "content", "ingest");
  }
  get snapshots(): string {
    return path.join(this.root, "snapshots");
  }
  get metadata(): string {
    return path.join(this.root, "metadata");
  }
  get leases(): string {
    return path.join(this.metadata, "leases");
  }
  get images(): string {
    return path.join(this.metadata, "images.json");
  }
  get lock(): string {
    return path.join(this.metadata, "lock");
  }

  blob(digest: Digest): string {
    return path.join(this.blobs, digestHex(digest));
  }
  snapshot(chainId: Digest): string {
    return path.join(this.snapshots, digestHex(chainId));
  }
  /** The directory a snapshot's files live in: an overlay lowerdir. */
  snapshotFs(chainId: Digest): string {
    return path.join(this.snapshot(chainId), "fs");
  }

  all(): string[] {
    return [this.blobs, this.ingest, this.snapshots, this.metadata, this.leases];
  }
}

/** A name for scratch files and dirs that says which process owns them, so leftovers of dead ones can be removed. */
export function scratchName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

export function scratchOwner(name: string, prefix: string): number | undefined {
  const m = new RegExp(`^${prefix.replace(/[.]/g, "\\.")}-(\\d+)-`).exec(name);
  return m ? Number(m[1]) : undefined;
}
