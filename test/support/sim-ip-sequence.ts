import { invalidArgument } from "../../lib/errors.js";

/**
 * Fake IPv4 addresses under a prefix of one to three octets ("10.200" → 10.200.0.1,
 * 10.200.0.2, …), skipping .0 and .255 host parts. Nothing ever listens on them: they only make
 * pod and node statuses look like a real cluster's.
 */
export class IpSequence {
  private readonly octets: number[];
  private readonly size: number;
  private next = 0;
  private readonly reserved = new Set<string>();

  constructor(base: string, field: string) {
    const parts = base.split(".");
    if (
      parts.length < 1 ||
      parts.length > 3 ||
      parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)
    ) {
      throw invalidArgument(
        `simulated nodes: ${field} must be one to three IPv4 octets like "10.200", not ${JSON.stringify(base)}`,
        { field },
      );
    }
    this.octets = parts.map(Number);
    this.size = 2 ** (8 * (4 - parts.length));
  }

  /** The n-th address (n ≥ 0) of the sequence, wrapping around when the prefix is used up. */
  at(n: number): string {
    // Skip host parts whose last octet is 0 or 255.
    let host = (Math.floor(n / 254) * 256 + (n % 254) + 1) % this.size;
    const tail: number[] = [];
    for (let i = 4 - this.octets.length; i > 0; i--) {
      tail.unshift(host & 255);
      host = Math.floor(host / 256);
    }
    return [...this.octets, ...tail].join(".");
  }

  /** Marks an address as in use (by a pod from an earlier run), so take() passes it by. */
  reserve(ip: string): void {
    this.reserved.add(ip);
  }

  /** The next address not reserved (reserved ones are reused only once the prefix wraps). */
  take(): string {
    for (let tries = 0; tries < this.capacity; tries++) {
      const ip = this.at(this.next++);
      if (!this.reserved.has(ip)) return ip;
    }
    return this.at(this.next++);
  }

  /** How many distinct addresses the prefix holds before wrapping. */
  get capacity(): number {
    return (this.size / 256) * 254;
  }
}
