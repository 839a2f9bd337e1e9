import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import tar from "tar-stream";
import { errnoCode, invalidArgument, isBerthError } from "../../../lib/errors.js";
import type { BlobInfo, ContentStore, Expected } from "../content-store.js";
import { isDigest, type Digest } from "../digest.js";
import "../tar-binary-pax.js";

/** Registers blobs with the import's lease before they are written (see Leases). */
export type Protect = (blobs: Digest[]) => Promise<void>;

/**
 * The files of an image archive (an OCI layout or a docker-archive), as a directory or a tar of one.
 * Metadata files are read whole; blobs go straight into the content store, verified.
 */
export interface ImportSource {
  /** A small metadata file (index.json, manifest.json…), or undefined if the archive has none. */
  file(rel: string): Promise<Buffer | undefined>;
  /** Puts the archive file `rel` into the content store and returns its digest and size. */
  blob(rel: string, expected: Expected, what: string): Promise<BlobInfo>;
}

const maxMetadata = 8 * 1024 * 1024;

export async function openImportSource(
  file: string,
  content: ContentStore,
  protect: Protect,
): Promise<ImportSource> {
  const st = await fs.stat(file).catch((err) => {
    throw errnoCode(err) === "ENOENT" ? invalidArgument(`${file}: no such file or directory`) : err;
  });
  return st.isDirectory()
    ? new DirectorySource(file, content, protect)
    : TarSource.read(file, content, protect);
}

/** A path inside the archive as given by its metadata: relative and without "..". */
function archivePath(rel: string, what?: string): string {
  const clean = path.posix.normalize(rel);
  if (path.posix.isAbsolute(clean) || clean === ".." || clean.startsWith("../")) {
    const prefix = what === undefined ? "" : `${what}: `;
    throw invalidArgument(
      `${prefix}archive path ${JSON.stringify(rel)} points outside the archive`,
    );
  }
  return clean;
}

class DirectorySource implements ImportSource {
  constructor(
    private readonly dir: string,
    private readonly content: ContentStore,
    private readonly protect: Protect,
  ) {}

  async file(rel: string): Promise<Buffer | undefined> {
    const p = path.join(this.dir, archivePath(rel));
    const st = await fs.stat(p).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    if (st.size > maxMetadata)
      throw invalidArgument(`${rel}: ${st.size} bytes is too large for metadata`);
    return fs.readFile(p);
  }

  async blob(rel: string, expected: Expected, what: string): Promise<BlobInfo> {
    const p = path.join(this.dir, archivePath(rel, what));
    if (expected.digest) await this.protect([expected.digest]);
    let stream: Readable;
    try {
      await fs.access(p);
      stream = createReadStream(p);
    } catch {
      throw invalidArgument(`${what}: blob ${expected.digest ?? rel} is missing from the archive`);
    }
    return this.content.writeStream(stream, expected, what, (d) => this.protect([d]));
  }
}

/**
 * A tar read once, front to back: blobs go into the content store as they pass, metadata files
 * are kept in memory, and symlinks (docker-archive dedupes layers with them) are followed later.
 */
class TarSource implements ImportSource {
  private readonly files = new Map<string, Buffer>();
  private readonly blobs = new Map<string, BlobInfo>();
  private readonly links = new Map<string, string>();

  private constructor(
    private readonly content: ContentStore,
    private readonly protect: Protect,
  ) {}

  static async read(file: string, content: ContentStore, protect: Protect): Promise<TarSource> {
    const source = new TarSource(content, protect);
    const extract = tar.extract();
    const input = createReadStream(file);
    input.on("error", (err) => extract.destroy(err));
    input.pipe(extract as unknown as NodeJS.WritableStream);
    try {
      for await (const entry of extract) {
        await source.take(entry.header, entry as unknown as Readable);
        entry.resume();
      }
    } catch (err) {
      input.destroy();
      if (!isBerthError(err)) {
        throw invalidArgument(`${file}: not a valid image archive: ${(err as Error).message}`);
      }
      // Blobs are checked as the tar streams by, before its index names any image: name the archive.
      err.message = `${file}: ${err.message}`;
      throw err;
    }
    return source;
  }

  private async take(header: tar.Header, body: Readable): Promise<void> {
    const name = path.posix.normalize(header.name).replace(/^\.\//, "").replace(/\/$/, "");
    if (header.type === "symlink" || header.type === "link") {
      const target = header.linkname ?? "";
      const base = header.type === "symlink" ? path.posix.dirname(name) : ".";
      this.links.set(name, path.posix.join(base, target));
      return;
    }
    if (header.type !== "file" && header.type !== "contiguous-file") return;
    const blobName = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
    if (blobName) {
      const digest: Digest = `sha256:${blobName[1]}`;
      await this.protect([digest]);
      this.blobs.set(
        name,
        await this.content.writeStream(body, { digest, size: header.size }, name),
      );
    } else if ((header.size ?? 0) <= maxMetadata && !name.endsWith(".tar")) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      this.files.set(name, Buffer.concat(chunks));
    } else {
      const info = await this.content.writeStream(body, { size: header.size }, name, (d) =>
        this.protect([d]),
      );
      this.blobs.set(name, info);
    }
  }

  private resolve(rel: string, what?: string): string {
    let name = archivePath(rel, what);
    for (let hops = 0; this.links.has(name); hops++) {
      if (hops > 16) throw invalidArgument(`archive path ${JSON.stringify(rel)}: too many links`);
      name = archivePath(this.links.get(name) as string);
    }
    return name;
  }

  async file(rel: string): Promise<Buffer | undefined> {
    return this.files.get(this.resolve(rel));
  }

  async blob(rel: string, expected: Expected, what: string): Promise<BlobInfo> {
    const name = this.resolve(rel, what);
    const stored = this.blobs.get(name);
    const data = stored ? undefined : this.files.get(name);
    if (!stored && !data) {
      throw invalidArgument(`${what}: blob ${expected.digest ?? rel} is missing from the archive`);
    }
    if (data) {
      if (expected.digest) await this.protect([expected.digest]);
      return this.content.write(data, expected, what, (d) => this.protect([d]));
    }
    const info = stored as BlobInfo;
    if (expected.digest && isDigest(expected.digest) && info.digest !== expected.digest) {
      throw invalidArgument(
        `${what}: digest mismatch: expected ${expected.digest}, got ${info.digest}`,
      );
    }
    if (expected.size !== undefined && info.size !== expected.size) {
      throw invalidArgument(`${what}: size mismatch: expected ${expected.size}, got ${info.size}`);
    }
    return info;
  }
}
