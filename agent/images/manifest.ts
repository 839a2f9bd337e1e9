import { invalidArgument } from "../../lib/errors.js";
import { parseDigest, type Digest } from "./digest.js";

export const mediaTypes = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  ociLayerNonDistributable: "application/vnd.oci.image.layer.nondistributable.v1.tar",
  ociLayerNonDistributableGzip: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerForeignLayerGzip: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
} as const;

export type Compression = "none" | "gzip" | "zstd";

/** How a layer blob is compressed, from its media type; unknown types are rejected. */
export function layerCompression(mediaType: string, field: string): Compression {
  switch (mediaType) {
    case mediaTypes.ociLayer:
    case mediaTypes.ociLayerNonDistributable:
      return "none";
    case mediaTypes.ociLayerGzip:
    case mediaTypes.ociLayerNonDistributableGzip:
    case mediaTypes.dockerLayerGzip:
    case mediaTypes.dockerForeignLayerGzip:
      return "gzip";
    case mediaTypes.ociLayerZstd:
      return "zstd";
    default:
      throw invalidArgument(`${field}: unsupported layer media type ${JSON.stringify(mediaType)}`, {
        field,
      });
  }
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Manifest {
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface Index {
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageConfig {
  architecture: string;
  os: string;
  created?: string;
  config?: { User?: string; Env?: string[]; Entrypoint?: string[]; Cmd?: string[] };
  rootfs: { type: string; diff_ids: Digest[] };
}

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(`${field}: expected a JSON object`, { field });
  }
  return value as Json;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalidArgument(`${field}: expected an array`, { field });
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== "string") throw invalidArgument(`${field}: expected a string`, { field });
  return value;
}

export function parseJson(data: Buffer, what: string): Json {
  try {
    return object(JSON.parse(data.toString("utf8")), what);
  } catch (err) {
    if (err instanceof SyntaxError)
      throw invalidArgument(`${what}: not valid JSON: ${err.message}`);
    throw err;
  }
}

export function parseDescriptor(value: unknown, field: string): Descriptor {
  const o = object(value, field);
  const size = o.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw invalidArgument(`${field}.size: expected a non-negative integer`, {
      field: `${field}.size`,
    });
  }
  const descriptor: Descriptor = {
    mediaType: string(o.mediaType, `${field}.mediaType`),
    digest: parseDigest(o.digest, `${field}.digest`),
    size,
  };
  if (o.annotations !== undefined) {
    descriptor.annotations = object(o.annotations, `${field}.annotations`) as Record<
      string,
      string
    >;
  }
  if (o.platform !== undefined) {
    const p = object(o.platform, `${field}.platform`);
    descriptor.platform = {
      os: string(p.os, `${field}.platform.os`),
      architecture: string(p.architecture, `${field}.platform.architecture`),
      ...(typeof p.variant === "string" ? { variant: p.variant } : {}),
    };
  }
  return descriptor;
}

export function isIndexType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerManifestList;
}

export function isManifestType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociManifest || mediaType === mediaTypes.dockerManifest;
}

export function parseIndex(data: Buffer, what: string): Index {
  const o = parseJson(data, what);
  const mediaType = typeof o.mediaType === "string" ? o.mediaType : mediaTypes.ociIndex;
  const manifests = array(o.manifests, `${what}.manifests`).map((m, i) =>
    parseDescriptor(m, `${what}.manifests[${i}]`),
  );
  return { mediaType, manifests };
}

export function parseManifest(data: Buffer, what: string): Manifest {
  const o = parseJson(data, what);
  if (o.schemaVersion !== 2) {
    throw invalidArgument(`${what}: schemaVersion must be 2`, { field: `${what}.schemaVersion` });
  }
  const mediaType = typeof o.mediaType === "string" ? o.mediaType : mediaTypes.ociManifest;
  if (!isManifestType(mediaType)) {
    throw invalidArgument(`${what}: ${mediaType} is not an image manifest`, {
      field: `${what}.mediaType`,
    });
  }
  const config = parseDescriptor(o.config, `${what}.config`);
  const layers = array(o.layers, `${what}.layers`).map((l, i) =>
    parseDescriptor(l, `${what}.layers[${i}]`),
  );
  layers.forEach((l, i) => layerCompression(l.mediaType, `${what}.layers[${i}].mediaType`));
  return { mediaType, config, layers };
}

export function parseImageConfig(data: Buffer, what: string): ImageConfig {
  const o = parseJson(data, what);
  const rootfs = object(o.rootfs, `${what}.rootfs`);
  const diffIds = array(rootfs.diff_ids, `${what}.rootfs.diff_ids`).map((d, i) =>
    parseDigest(d, `${what}.rootfs.diff_ids[${i}]`),
  );
  const inner =
    o.config === undefined || o.config === null ? undefined : object(o.config, `${what}.config`);
  return {
    architecture: string(o.architecture, `${what}.architecture`),
    os: string(o.os, `${what}.os`),
    created: typeof o.created === "string" ? o.created : undefined,
    config: inner as ImageConfig["config"],
    rootfs: { type: string(rootfs.type, `${what}.rootfs.type`), diff_ids: diffIds },
  };
}
