import type { FieldPath } from "./field-path.js";

/** An immutable-by-convention set of field paths (the fields one manager owns, or that changed). */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const path of paths) this.add(path);
  }

  add(path: FieldPath): this {
    this.members.set(JSON.stringify(path), [...path]);
    return this;
  }

  addAll(other: FieldSet): this {
    for (const [key, path] of other.members) this.members.set(key, path);
    return this;
  }

  has(path: FieldPath): boolean {
    return this.members.has(JSON.stringify(path));
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  /** The members, sorted step by step (a parent before its children). */
  paths(): FieldPath[] {
    return [...this.members.values()].sort(comparePaths);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values(), ...other.members.values()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((path) => !other.has(path)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((path) => other.has(path)));
  }

  equals(other: FieldSet): boolean {
    return (
      this.size === other.size && [...this.members.keys()].every((key) => other.members.has(key))
    );
  }

  /** True when a member lies strictly below `path`. */
  hasDescendantOf(path: FieldPath): boolean {
    const prefix = JSON.stringify(path).slice(0, -1) + ",";
    for (const key of this.members.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }
}

function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
