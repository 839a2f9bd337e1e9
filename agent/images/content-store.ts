import { createHash } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { errnoCode, invalidArgument, notFound } from "../../lib/errors.js";
import { digestHex, type Digest } from "./digest.js";
import type { Usage } from "./disk-usage.js";
import { scratchName, type StorePaths } from "./store-paths.js";

export interface Expected {
  digest?: Digest;
  size?: number;
}

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/**
 * Blobs by sha256. A blob is written to ingest/, verified against the digest and size it was
 * announced with, fsynced and renamed into place, so a present blob is always whole and correct.
 */
export class ContentStore {
  constructor(private readonly paths: StorePaths) {}

  path(digest: Digest): string {
    return this.paths.blob(digest);
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await fs.access(this.path(digest));
      return true;
    } catch {
      return false;
    }
  }

  async size(digest: Digest): Promise<number> {
    try {
      return (await fs.stat(this.path(digest))).size;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") throw notFound(`blob ${digest} is not in the content store`);
      throw err;
    }
  }

  /** Reads a small blob (manifest, config, index) whole; refuses anything over maxBytes. */
  async read(digest: Digest, maxBytes = 8 * 1024 * 1024): Promise<Buffer> {
    const size = await this.size(digest);
    if (size > maxBytes) {
      throw invalidArgument(`blob ${digest} is ${size} bytes, more than the ${maxBytes} allowed`);
    }
    return fs.readFile(this.path(digest));
  }

  async write(
    data: Buffer,
    expected: Expected = {},
    what = "blob",
    beforeCommit?: (digest: Digest) => Promise<void>,
  ): Promise<BlobInfo> {
    return this.writeStream(Readable.from([data]), expected, what, beforeCommit);
  }

  /**
   * Stores what `source` yields. With an expected digest, a blob already present is not written
   * again (the source is drained), and a mismatch in digest or size fails naming `what`.
   * `beforeCommit` runs once the digest is known, before the blob becomes visible (to lease it).
   */
  async writeStream(
    source: Readable,
    expected: Expected = {},
    what = "blob",
    beforeCommit?: (digest: Digest) => Promise<void>,
  ): Promise<BlobInfo> {
    if (expected.digest && (await this.has(expected.digest))) {
      const size = await this.size(expected.digest);
      source.resume();
      await new Promise<void>((resolve, reject) => {
        source.on("end", resolve).on("error", reject);
      });
      return { digest: expected.digest, size };
    }
    const tmp = path.join(this.paths.ingest, scratchName("ingest"));
    const hash = createHash("sha256");
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        if (expected.size !== undefined && size > expected.size) {
          done(invalidArgument(`${what}: more data than the ${expected.size} bytes announced`));
          return;
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(tmp, { mode: 0o444 }));
      const digest: Digest = `sha256:${hash.digest("hex")}`;
      if (expected.size !== undefined && size !== expected.size) {
        throw invalidArgument(`${what}: size mismatch: announced ${expected.size}, got ${size}`);
      }
      if (expected.digest && digest !== expected.digest) {
        throw invalidArgument(
          `${what}: digest mismatch: announced ${expected.digest}, got ${digest}`,
        );
      }
      await beforeCommit?.(digest);
      const handle = await fs.open(tmp, "r");
      await handle.sync().finally(() => handle.close());
      await fs.rename(tmp, this.path(digest));
      return { digest, size };
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async list(): Promise<BlobInfo[]> {
    const names = await fs.readdir(this.paths.blobs);
    const blobs: BlobInfo[] = [];
    for (const name of names) {
      const st = await fs.stat(path.join(this.paths.blobs, name)).catch(() => undefined);
      if (st) blobs.push({ digest: `sha256:${name}`, size: st.size });
    }
    return blobs;
  }

  /** Disk blocks and inodes the blobs take. */
  async usage(): Promise<Usage> {
    const usage: Usage = { bytes: 0, inodes: 0 };
    for (const name of await fs.readdir(this.paths.blobs)) {
      const st = await fs.lstat(path.join(this.paths.blobs, name)).catch(() => undefined);
      if (!st) continue;
      usage.bytes += st.blocks * 512;
      usage.inodes += 1;
    }
    return usage;
  }

  async delete(digest: Digest): Promise<void> {
    await fs.rm(path.join(this.paths.blobs, digestHex(digest)), { force: true });
  }
}
