import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../lib/errors.js";
import { writeFileAtomic } from "./atomic-file.js";
import type { Digest } from "./digest.js";
import { isProcessAlive, processStartTime } from "./process-alive.js";
import { scratchName } from "./store-paths.js";

/**
 * A lease keeps blobs and snapshots from garbage collection while something uses them but no
 * image record names them yet (an import in progress). A lease that names its process ends with
 * it: a killed import's lease is stale and collected.
 */
export interface Lease {
  id: string;
  pid?: number;
  pidStart?: string;
  blobs: Digest[];
  snapshots: Digest[];
}

export class Leases {
  constructor(private readonly dir: string) {}

  /** A lease owned by this process. Call with the store lock held. */
  async create(): Promise<Lease> {
    const lease: Lease = {
      id: scratchName("lease"),
      pid: process.pid,
      pidStart: processStartTime(process.pid),
      blobs: [],
      snapshots: [],
    };
    await this.save(lease);
    return lease;
  }

  /** A lease with no owning process, named by what holds it (a container): it lasts until released. */
  async createNamed(
    id: string,
    resources: { blobs?: Digest[]; snapshots?: Digest[] },
  ): Promise<Lease> {
    const lease: Lease = { id, blobs: resources.blobs ?? [], snapshots: resources.snapshots ?? [] };
    await this.save(lease);
    return lease;
  }

  /** Adds resources to a lease. Call with the store lock held, before the resources are written. */
  async add(lease: Lease, resources: { blobs?: Digest[]; snapshots?: Digest[] }): Promise<void> {
    for (const b of resources.blobs ?? []) if (!lease.blobs.includes(b)) lease.blobs.push(b);
    for (const s of resources.snapshots ?? []) {
      if (!lease.snapshots.includes(s)) lease.snapshots.push(s);
    }
    await this.save(lease);
  }

  async release(lease: Pick<Lease, "id">): Promise<void> {
    await fs.rm(this.file(lease.id), { force: true });
  }

  /** Leases still in force; stale ones (owner gone) are deleted on the way. Call with the lock held. */
  async active(): Promise<Lease[]> {
    const leases: Lease[] = [];
    for (const name of await fs.readdir(this.dir)) {
      if (!name.endsWith(".json")) continue;
      let lease: Lease;
      try {
        lease = JSON.parse(await fs.readFile(path.join(this.dir, name), "utf8")) as Lease;
      } catch (err) {
        if (errnoCode(err) === "ENOENT") continue;
        throw err;
      }
      if (lease.pid !== undefined && !isProcessAlive(lease.pid, lease.pidStart)) {
        await fs.rm(path.join(this.dir, name), { force: true });
        continue;
      }
      leases.push(lease);
    }
    return leases;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private save(lease: Lease): Promise<void> {
    return writeFileAtomic(this.file(lease.id), JSON.stringify(lease));
  }
}
