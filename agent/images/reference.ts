import { invalidArgument } from "../../lib/errors.js";
import { isDigest, type Digest } from "./digest.js";

/**
 * An image reference in the form Docker and the kubelet use: "busybox", "busybox:1.36",
 * "registry:5000/team/app@sha256:…". Repositories are kept fully qualified
 * ("docker.io/library/busybox"), so "busybox" and "docker.io/library/busybox:latest" name one image.
 */
export interface Reference {
  repository: string;
  tag?: string;
  digest?: Digest;
}

const defaultDomain = "docker.io";
const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const domainPattern =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9-]+)*(?::[0-9]+)?$/;

export function parseReference(text: string, field = "image"): Reference {
  const bad = (why: string) =>
    invalidArgument(`${field}: invalid image reference ${JSON.stringify(text)}: ${why}`, {
      field,
    });
  if (text === "" || text.length > 4096) throw bad("empty or too long");

  let rest = text;
  let digest: Digest | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    const d = rest.slice(at + 1);
    if (!isDigest(d)) throw bad("digest must be sha256:<64 hex>");
    digest = d;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    if (!tagPattern.test(tag)) throw bad(`tag ${JSON.stringify(tag)} is not valid`);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  let domain = defaultDomain;
  const first = parts[0];
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    if (!domainPattern.test(first)) throw bad(`registry ${JSON.stringify(first)} is not valid`);
    domain = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !component.test(p))) {
    throw bad("repository must be lowercase path components of [a-z0-9._-]");
  }
  // Docker Hub's legacy names mean the same registry.
  if (domain === "index.docker.io" || domain === "registry-1.docker.io") domain = defaultDomain;
  if (domain === defaultDomain && parts.length === 1) parts.unshift("library");
  return { repository: `${domain}/${parts.join("/")}`, tag, digest };
}

/** A reference with ":latest" added when it names neither a tag nor a digest. */
export function normalizeReference(text: string, field = "image"): Reference {
  const ref = parseReference(text, field);
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: "latest" } : ref;
}

export function formatReference(ref: Reference): string {
  return ref.repository + (ref.tag ? `:${ref.tag}` : "") + (ref.digest ? `@${ref.digest}` : "");
}

/** True if text is only a repository, with no tag and no digest. */
export function isRepositoryOnly(text: string): boolean {
  const ref = parseReference(text);
  return ref.tag === undefined && ref.digest === undefined;
}
