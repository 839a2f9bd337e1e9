import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../lib/errors.js";
import { writeFileAtomic } from "../images/atomic-file.js";

/**
 * Records as JSON files, one directory per object (`<dir>/<id>/record.json`), each replaced
 * atomically, so a crash leaves either the old or the new record, never a torn one.
 */
export class RecordStore<T extends { id: string }> {
  private readonly cache = new Map<string, T>();

  constructor(private readonly dir: string) {}

  async load(): Promise<T[]> {
    this.cache.clear();
    for (const id of await fs.readdir(this.dir)) {
      const record = await this.read(id);
      if (record) this.cache.set(id, record);
    }
    return this.list();
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get(id: string): T | undefined {
    return this.cache.get(id);
  }

  async put(record: T): Promise<T> {
    await fs.mkdir(path.join(this.dir, record.id), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(record.id), JSON.stringify(record, null, 1));
    this.cache.set(record.id, record);
    return record;
  }

  async update(id: string, change: Partial<T>): Promise<T> {
    const current = this.cache.get(id);
    if (!current) throw new Error(`record ${id} vanished`);
    return this.put({ ...current, ...change });
  }

  /** Deletes the record and everything kept in its directory. */
  async delete(id: string): Promise<void> {
    this.cache.delete(id);
    await fs.rm(path.join(this.dir, id), { recursive: true, force: true });
  }

  private file(id: string): string {
    return path.join(this.dir, id, "record.json");
  }

  private async read(id: string): Promise<T | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.file(id), "utf8")) as T;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
  }
}
