import { Readable } from "node:stream";
import { notFound } from "../../../../lib/errors.js";
import type {
  RegistryAuth,
  RegistryRequest,
  RegistryResponse,
  RegistryTransport,
} from "../../../../agent/registry/registry-api.js";
import { sha256, type Digest } from "../../../fixtures/fixture-image.js";

/** How the fake misbehaves when serving one blob. */
export interface BlobTrouble {
  /** The first GET sends this many bytes, then the connection breaks. */
  cutAfter?: number;
  /** Every GET sends this many bytes (0: not even headers, with `beforeHeaders`), then nothing more. */
  stallAfter?: number;
  beforeHeaders?: boolean;
  /** Bytes served are flipped at this offset. */
  corruptAt?: number;
  /** Range headers are ignored: the whole blob comes with a 200. */
  ignoreRange?: boolean;
  /** Blob GETs answer 307 to another URL that serves the bytes. */
  redirect?: boolean;
}

export interface Seen {
  host: string;
  method: string;
  url: string;
  headers: Record<string, string>;
}

interface ManifestEntry {
  bytes: Buffer;
  contentType: string;
  /** Docker-Content-Digest to send; undefined: the true digest; null: none. */
  digestHeader?: string | null;
}

/** An in-memory registry behind the RegistryTransport contract, counting what is asked of it. */
export class FakeRegistry implements RegistryTransport {
  readonly requests: Seen[] = [];
  readonly trouble = new Map<string, BlobTrouble>();
  /** Milliseconds before each blob response, so downloads overlap as over a network. */
  blobLatencyMs = 0;
  private readonly manifests = new Map<string, ManifestEntry>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly cut = new Set<string>();

  /** Stores a manifest under its digest and, if given, a tag. */
  putManifest(
    name: string,
    bytes: Buffer,
    contentType: string,
    tag?: string,
    digestHeader?: string | null,
  ): Digest {
    const digest = sha256(bytes);
    const entry = { bytes, contentType, digestHeader };
    this.manifests.set(`${name}/${digest}`, entry);
    if (tag) this.manifests.set(`${name}/${tag}`, entry);
    return digest;
  }

  putBlob(bytes: Buffer): Digest {
    const digest = sha256(bytes);
    this.blobs.set(digest, bytes);
    return digest;
  }

  blobGets(digest: string): Seen[] {
    return this.requests.filter((r) => r.url.includes(`/blobs/${digest}`));
  }

  async request(
    host: string,
    req: RegistryRequest,
    _auth?: RegistryAuth,
  ): Promise<RegistryResponse> {
    return this.serve(host, `http://${host}${req.path}`, req);
  }

  async requestUrl(
    host: string,
    url: string,
    req: Omit<RegistryRequest, "path">,
    _auth?: RegistryAuth,
  ): Promise<RegistryResponse> {
    return this.serve(host, url, req);
  }

  resolveLocation(res: RegistryResponse, location: string): string {
    return new URL(location, res.url).toString();
  }

  private async serve(
    host: string,
    url: string,
    req: Omit<RegistryRequest, "path">,
  ): Promise<RegistryResponse> {
    const headers = req.headers ?? {};
    this.requests.push({ host, method: req.method, url, headers });
    const path = new URL(url).pathname;
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest) {
      const entry = this.manifests.get(`${manifest[1]}/${manifest[2]}`);
      if (!entry) throw notFound(`manifest unknown: ${manifest[2]}`);
      const out: Record<string, string> = { "content-type": entry.contentType };
      if (entry.digestHeader !== null) {
        out["docker-content-digest"] = entry.digestHeader ?? sha256(entry.bytes);
      }
      return { status: 200, headers: out, body: Readable.from([entry.bytes]), host, url };
    }
    const blob = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    const bytes = blob ? this.blobs.get(blob[1]) : undefined;
    if (!blob || !bytes) throw notFound(`blob unknown: ${path}`);
    if (this.blobLatencyMs > 0) await new Promise((r) => setTimeout(r, this.blobLatencyMs));
    return this.serveBlob(host, url, blob[1], bytes, headers);
  }

  private serveBlob(
    host: string,
    url: string,
    digest: string,
    whole: Buffer,
    headers: Record<string, string>,
  ): RegistryResponse | Promise<RegistryResponse> {
    const t = this.trouble.get(digest) ?? {};
    if (t.redirect && !url.includes("/storage/")) {
      return {
        status: 307,
        headers: { location: `/storage/v2/x/blobs/${digest}` },
        body: Readable.from([]),
        host,
        url,
      };
    }
    if (t.stallAfter !== undefined && t.beforeHeaders) return new Promise(() => {});
    let bytes = whole;
    if (t.corruptAt !== undefined) {
      bytes = Buffer.from(whole);
      bytes[t.corruptAt] ^= 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(headers.range ?? "");
    let status = 200;
    const out: Record<string, string> = {};
    if (range && !t.ignoreRange) {
      const start = Number(range[1]);
      status = 206;
      out["content-range"] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
      bytes = bytes.subarray(start);
    }
    out["content-length"] = String(bytes.length);
    let body: Readable;
    if (t.cutAfter !== undefined && !this.cut.has(digest)) {
      this.cut.add(digest);
      body = brokenAfter(bytes.subarray(0, t.cutAfter));
    } else if (t.stallAfter !== undefined) {
      body = stalledAfter(bytes.subarray(0, t.stallAfter));
    } else {
      body = Readable.from(chunks(bytes));
    }
    return { status, headers: out, body, host, url };
  }
}

function* chunks(bytes: Buffer, size = 16 * 1024): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function brokenAfter(head: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(head);
        return;
      }
      this.destroy(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    },
  });
}

function stalledAfter(head: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent && head.length > 0) this.push(head);
      sent = true;
    },
  });
}
