import { randomBytes } from "node:crypto";
import { unavailable } from "../../../lib/errors.js";

/** kubelet's streaming request cache: a URL is good for a minute, and at most 1000 wait. */
export const tokenTtlMs = 60_000;
export const maxPendingRequests = 1000;

interface Entry<T> {
  request: T;
  expiresAt: number;
}

/**
 * The requests behind the URLs Exec, Attach and PortForward answer with: each is kept under a
 * random token until its client connects (once) or it expires.
 */
export class RequestCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = tokenTtlMs,
    private readonly maxEntries = maxPendingRequests,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a request; its token, unguessable and URL-safe. */
  insert(request: T): string {
    this.prune();
    if (this.entries.size >= this.maxEntries) {
      throw unavailable("maximum number of in-flight streaming requests exceeded");
    }
    let token: string;
    do token = randomBytes(8).toString("base64url");
    while (this.entries.has(token));
    this.entries.set(token, { request, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The request a token stands for, once; undefined when unknown, used or expired. */
  consume(token: string): T | undefined {
    const entry = this.entries.get(token);
    this.entries.delete(token);
    return entry && entry.expiresAt > this.now() ? entry.request : undefined;
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now();
    // Insertion order is expiry order: stop at the first live one.
    for (const [token, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(token);
    }
  }
}
