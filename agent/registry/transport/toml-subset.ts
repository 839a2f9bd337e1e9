/**
 * The part of TOML that hosts.toml files use: comments, `[table]` / `[a."quoted key".b]`
 * headers, and `key = value` with strings ("basic" with escapes, 'literal'), booleans, integers
 * and (possibly multi-line) arrays of those. Anything else is an error naming the line.
 */
export type TomlValue = string | number | boolean | TomlValue[];
export interface TomlTable {
  [key: string]: TomlValue | TomlTable;
}

export class TomlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseTomlSubset(text: string): TomlTable {
  const root: TomlTable = {};
  let table = root;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    let line = stripComment(lines[n]).trim();
    if (line === "") continue;
    if (line.startsWith("[")) {
      if (line.startsWith("[[")) throw new TomlError(lineNo, "arrays of tables are not supported");
      if (!line.endsWith("]")) throw new TomlError(lineNo, "unterminated table header");
      table = tableAt(root, parseKey(line.slice(1, -1), lineNo), lineNo);
      continue;
    }
    // An array value may run over several lines: join until its brackets balance.
    while (unbalanced(line) && n + 1 < lines.length) line += " " + stripComment(lines[++n]).trim();
    const eq = findOutsideQuotes(line, "=");
    if (eq === -1) throw new TomlError(lineNo, "expected key = value");
    const key = parseKey(line.slice(0, eq), lineNo);
    const cursor = new Cursor(line.slice(eq + 1), lineNo);
    const value = cursor.value();
    cursor.end();
    const parent = tableAt(table, key.slice(0, -1), lineNo);
    const last = key[key.length - 1];
    if (last in parent) throw new TomlError(lineNo, `duplicate key "${key.join(".")}"`);
    parent[last] = value;
  }
  return root;
}

function tableAt(root: TomlTable, path: string[], lineNo: number): TomlTable {
  let table = root;
  for (const part of path) {
    const next = table[part] ?? (table[part] = {});
    if (typeof next !== "object" || Array.isArray(next)) {
      throw new TomlError(lineNo, `"${part}" is a value, not a table`);
    }
    table = next;
  }
  return table;
}

function parseKey(text: string, lineNo: number): string[] {
  const parts: string[] = [];
  const cursor = new Cursor(text, lineNo);
  for (;;) {
    cursor.skipSpace();
    parts.push(cursor.keyPart());
    cursor.skipSpace();
    if (cursor.done()) return parts;
    cursor.expect(".");
  }
}

function stripComment(line: string): string {
  const hash = findOutsideQuotes(line, "#");
  return hash === -1 ? line : line.slice(0, hash);
}

function findOutsideQuotes(line: string, char: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === char) return i;
  }
  return -1;
}

function unbalanced(line: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
  }
  return depth > 0;
}

const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };

class Cursor {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly lineNo: number,
  ) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
  }

  expect(c: string): void {
    if (this.s[this.i] !== c) this.fail(`expected "${c}"`);
    this.i++;
  }

  end(): void {
    this.skipSpace();
    if (!this.done()) this.fail(`unexpected "${this.s.slice(this.i)}"`);
  }

  keyPart(): string {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i));
    if (!m) this.fail("expected a key");
    this.i += m[0].length;
    return m[0];
  }

  value(): TomlValue {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === "[") return this.array();
    const m = /^(true|false|[+-]?\d+)(?![\w.])/.exec(this.s.slice(this.i));
    if (!m) this.fail("expected a string, boolean, integer or array");
    this.i += m[0].length;
    return m[0] === "true" ? true : m[0] === "false" ? false : Number(m[0]);
  }

  private array(): TomlValue[] {
    this.i++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === "]") break;
      items.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "]") this.fail('expected "," or "]"');
    }
    this.i++;
    return items;
  }

  private string(): string {
    const quote = this.s[this.i++];
    if (this.s.startsWith(quote.repeat(2), this.i))
      this.fail("multi-line strings are not supported");
    let out = "";
    while (this.i < this.s.length && this.s[this.i] !== quote) {
      let c = this.s[this.i++];
      if (c === "\\" && quote === '"') {
        const e = this.s[this.i++];
        if (!(e in escapes)) this.fail(`unsupported escape "\\${e}"`);
        c = escapes[e];
      }
      out += c;
    }
    if (this.i >= this.s.length) this.fail("unterminated string");
    this.i++;
    return out;
  }

  private fail(message: string): never {
    throw new TomlError(this.lineNo, message);
  }
}
