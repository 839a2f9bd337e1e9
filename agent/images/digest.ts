import { createHash } from "node:crypto";
import { invalidArgument } from "../../lib/errors.js";

/** A content digest, "sha256:<64 lowercase hex>"; the only algorithm images use in practice. */
export type Digest = `sha256:${string}`;

const digestPattern = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === "string" && digestPattern.test(value);
}

export function parseDigest(value: unknown, field: string): Digest {
  if (!isDigest(value)) {
    throw invalidArgument(`${field}: ${JSON.stringify(value)} is not a sha256 digest`, { field });
  }
  return value;
}

export function digestHex(digest: Digest): string {
  return digest.slice("sha256:".length);
}

export function sha256(data: Buffer | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** ChainID of a layer stack, as the OCI image spec defines it: the snapshot key of the top layer. */
export function chainIds(diffIds: Digest[]): Digest[] {
  const chain: Digest[] = [];
  for (const diffId of diffIds) {
    const parent = chain.at(-1);
    chain.push(parent === undefined ? diffId : sha256(`${parent} ${diffId}`));
  }
  return chain;
}
