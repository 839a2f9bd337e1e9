import { Readable } from "node:stream";
import { unauthenticated } from "../../../../lib/errors.js";
import { registryStatusError } from "../../../../agent/registry/transport/registry-errors.js";
import type {
  RegistryAuth,
  RegistryRequest,
  RegistryResponse,
  RegistryTransport,
} from "../../../../agent/registry/registry-api.js";
import { sha256 } from "../../../fixtures/fixture-image.js";

export interface PushSeen {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** What a body factory or buffer held; undefined when the request had none. */
  body?: Buffer;
  /** Whether the body came as a stream factory (blobs must never be loaded whole). */
  streamed: boolean;
  scope: RegistryRequest["scope"];
}

interface Upload {
  name: string;
  bytes: Buffer;
  step: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * An in-memory registry speaking the push half of the distribution API behind the
 * RegistryTransport contract; statuses a request does not expect become errors the way the
 * real transport makes them (naming the registry's error codes).
 */
export class FakePushRegistry implements RegistryTransport {
  readonly requests: PushSeen[] = [];
  /** Blobs per repository name. */
  readonly blobs = new Map<string, Map<string, Buffer>>();
  readonly manifests = new Map<string, { bytes: Buffer; contentType: string }>();
  /** false: mount requests open an ordinary upload (202), as registries without mounts do. */
  mounts = true;
  /** Answer Locations as absolute URLs instead of paths. */
  absoluteLocations = false;
  /** Repositories whose mount requests the credentials do not allow (403). */
  deniedMountSources = new Set<string>();
  /** Methods (e.g. "POST") answered 401 whatever the request. */
  unauthenticated = new Set<string>();
  /** A Docker-Content-Digest to send for blob PUTs instead of the true one. */
  blobDigestHeader?: string;
  /** A Range to answer PATCHes with instead of the true one. */
  patchRange?: string;
  /** Manifest PUTs are refused with this (status and distribution error body). */
  refuseManifest?: Answer;
  private readonly uploads = new Map<string, Upload>();
  private nextUpload = 0;

  constructor(readonly host = "127.0.0.1:5000") {}

  addBlob(name: string, bytes: Buffer): string {
    const digest = sha256(bytes);
    this.repo(name).set(digest, bytes);
    return digest;
  }

  repo(name: string): Map<string, Buffer> {
    let blobs = this.blobs.get(name);
    if (!blobs) this.blobs.set(name, (blobs = new Map()));
    return blobs;
  }

  async request(host: string, req: RegistryRequest, _auth?: RegistryAuth) {
    return this.serve(host, `http://${host}${req.path}`, req);
  }

  async requestUrl(
    host: string,
    url: string,
    req: Omit<RegistryRequest, "path">,
    _auth?: RegistryAuth,
  ) {
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
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? req.body
          : await drain(req.body());
    this.requests.push({
      method: req.method,
      url,
      headers: req.headers ?? {},
      body,
      streamed: typeof req.body === "function",
      scope: req.scope,
    });
    if (this.unauthenticated.has(req.method)) {
      throw unauthenticated(`registry ${host}: ${req.method}: HTTP 401: UNAUTHORIZED`);
    }
    const answer = this.answer(new URL(url), req, body ?? Buffer.alloc(0));
    const res: RegistryResponse = {
      status: answer.status,
      headers: answer.headers ?? {},
      body: Readable.from([Buffer.from(answer.body ?? "")]),
      host,
      url,
    };
    if (answer.status >= 400 && !(req.expect ?? []).includes(answer.status)) {
      throw await registryStatusError(
        host,
        `${req.method} ${new URL(url).pathname}`,
        res.status,
        res.body,
      );
    }
    return res;
  }

  private answer(url: URL, req: Omit<RegistryRequest, "path">, body: Buffer): Answer {
    const path = url.pathname;
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (blob && req.method === "HEAD") {
      const bytes = this.repo(blob[1]).get(blob[2]);
      return bytes
        ? { status: 200, headers: { "content-length": String(bytes.length) } }
        : { status: 404 };
    }
    const start = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(path);
    if (start && req.method === "POST") return this.startUpload(start[1], url.searchParams);
    const session = /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/.exec(path);
    if (session) return this.continueUpload(session[2], url, req.method, req.headers ?? {}, body);
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest && req.method === "PUT") {
      if (this.refuseManifest) return this.refuseManifest;
      const contentType = req.headers?.["content-type"] ?? "";
      this.manifests.set(`${manifest[1]}:${manifest[2]}`, { bytes: body, contentType });
      return { status: 201, headers: { "docker-content-digest": sha256(body) } };
    }
    return { status: 404, body: error("NAME_UNKNOWN", `no route for ${req.method} ${path}`) };
  }

  private startUpload(name: string, query: URLSearchParams): Answer {
    const mount = query.get("mount");
    const from = query.get("from");
    if (mount && from && this.deniedMountSources.has(from)) {
      return { status: 403, body: error("DENIED", `no pull access to ${from}`) };
    }
    if (mount && from && this.mounts) {
      const bytes = this.repo(from).get(mount);
      if (bytes) {
        this.repo(name).set(mount, bytes);
        return {
          status: 201,
          headers: { location: `/v2/${name}/blobs/${mount}`, "docker-content-digest": mount },
        };
      }
    }
    const id = `u${this.nextUpload++}`;
    this.uploads.set(id, { name, bytes: Buffer.alloc(0), step: 0 });
    return { status: 202, headers: { location: this.location(name, id, 0), range: "0-0" } };
  }

  private continueUpload(
    id: string,
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Answer {
    const upload = this.uploads.get(id);
    if (!upload) return { status: 404, body: error("BLOB_UPLOAD_UNKNOWN", id) };
    if (url.searchParams.get("_state") !== String(upload.step)) {
      return { status: 400, body: error("BLOB_UPLOAD_INVALID", "stale upload state") };
    }
    if (method === "DELETE") {
      this.uploads.delete(id);
      return { status: 204 };
    }
    if (method === "PATCH") {
      const range = /^(\d+)-(\d+)$/.exec(headers["content-range"] ?? "");
      if (
        !range ||
        Number(range[1]) !== upload.bytes.length ||
        Number(range[2]) - Number(range[1]) + 1 !== body.length ||
        Number(headers["content-length"]) !== body.length
      ) {
        return { status: 416, body: error("BLOB_UPLOAD_INVALID", "bad Content-Range") };
      }
      upload.bytes = Buffer.concat([upload.bytes, body]);
      upload.step += 1;
      return {
        status: 202,
        headers: {
          location: this.location(upload.name, id, upload.step),
          range: this.patchRange ?? `0-${upload.bytes.length - 1}`,
        },
      };
    }
    if (method === "PUT") {
      const bytes = Buffer.concat([upload.bytes, body]);
      const digest = url.searchParams.get("digest");
      if (digest !== sha256(bytes)) {
        return { status: 400, body: error("DIGEST_INVALID", `digest ${digest} does not match`) };
      }
      this.uploads.delete(id);
      this.repo(upload.name).set(digest, bytes);
      return {
        status: 201,
        headers: { "docker-content-digest": this.blobDigestHeader ?? digest },
      };
    }
    return { status: 405, body: error("UNSUPPORTED", method) };
  }

  /** Each step of an upload lives at a new Location, as registries carry state in it. */
  private location(name: string, id: string, step: number): string {
    const p = `/v2/${name}/blobs/uploads/${id}?_state=${step}`;
    return this.absoluteLocations ? `http://uploads.test:5000${p}` : p;
  }
}

function error(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message }] });
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
