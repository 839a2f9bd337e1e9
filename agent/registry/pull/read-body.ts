import type { Readable } from "node:stream";
import { invalidArgument } from "../../../lib/errors.js";

/** Reads a small response body whole, refusing more than `maxBytes` (a manifest, not a layer). */
export async function readBody(body: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw invalidArgument(`${what}: more than the ${maxBytes} bytes allowed`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
