// Kubernetes prints a field error's bad value with Go's fmt: strings with %q, numbers and booleans
// with %v, structs and maps with %#v. These reproduce that text for the values we report.

/** A value already rendered as Go prints it (a struct or map in %#v form). */
export class GoSyntax {
  constructor(readonly text: string) {}
}

/** Go's strconv.Quote for the characters JSON strings carry. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code === 11) out += "\\v";
    else if (code === 12) out += "\\f";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** A bad value as Go's field.Error prints it after "Invalid value: ". */
export function goValue(value: unknown): string {
  if (value instanceof GoSyntax) return value.text;
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goInterface).join(", ")}}`;
  return `map[string]interface {}{${Object.keys(value)
    .sort()
    .map((k) => `${goQuote(k)}:${goInterface((value as Record<string, unknown>)[k])}`)
    .join(", ")}}`;
}

function goInterface(value: unknown): string {
  if (value === null || value === undefined) return "interface {}(nil)";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return String(value);
  return goValue(value);
}

/** map[string]string in %#v form: keys sorted, nil when absent. */
export function goStringMap(map: Record<string, string> | undefined): string {
  if (map === undefined) return "map[string]string(nil)";
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(map[k])}`);
  return `map[string]string{${entries.join(", ")}}`;
}

/** []string in %#v form. */
export function goStringSlice(values: string[] | undefined): string {
  if (values === undefined) return "[]string(nil)";
  return `[]string{${values.map(goQuote).join(", ")}}`;
}
