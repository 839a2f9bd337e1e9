import type http from "node:http";
import YAML from "yaml";
import { isBerthError } from "../../lib/errors.js";
import { decodeKubernetesProtobuf, protobufContentType } from "./protobuf/decode-protobuf.js";
import { badRequest, tooLarge, unsupportedMediaType } from "./status.js";

/** Kubernetes' limit on a request body (3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;

const buffered = new WeakMap<http.IncomingMessage, Buffer>();

/** The body, refused with 413 as soon as it passes the limit; read once, kept for later readers. */
export async function readBody(req: http.IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const kept = buffered.get(req);
  if (kept) return kept;
  const body = await readStream(req, limit);
  buffered.set(req, body);
  return body;
}

async function readStream(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lowercased ("application/json"). */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0].trim().toLowerCase();
}

const jsonTypes = new Set(["application/json", ""]);
const yamlTypes = new Set(["application/yaml", "application/apply-patch+yaml"]);

/**
 * Decodes an object body sent as JSON, YAML or (kubectl ≥1.32's typed clients) Kubernetes
 * protobuf; anything else is 415, unparsable input 400.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  const text = body.toString("utf8");
  if (body.length === 0) throw badRequest("the request body is empty");
  if (jsonTypes.has(type) || type.endsWith("+json")) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`json parse error: ${(err as Error).message}`);
    }
  }
  if (type === protobufContentType) {
    try {
      return decodeKubernetesProtobuf(body);
    } catch (err) {
      if (isBerthError(err, "InvalidArgument")) throw badRequest(err.message);
      throw err;
    }
  }
  if (yamlTypes.has(type)) {
    try {
      return YAML.parse(text, { version: "1.2" });
    } catch (err) {
      throw badRequest(`yaml parse error: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  throw unsupportedMediaType(type);
}

/** A body that must be a JSON object (not an array, string, null). */
export function asObject(value: unknown, what = "object"): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`the request body must be a JSON ${what}`);
  }
  return value as Record<string, unknown>;
}
