// The Prometheus text exposition format (version 0.0.4), written directly: one scrape has
// thousands of series, and building them through client objects costs more than the reads.

export const exposition = { contentType: "text/plain; version=0.0.4; charset=utf-8" };

export type MetricType = "counter" | "gauge";

/** A label value inside double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    : value;
}

/** HELP text: backslash and line feed escaped (quotes stay as they are). */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value as Go's ParseFloat reads it (NaN, +Inf, -Inf for the special values). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** `{a="x",b="y"}` from name/value pairs, in the order given (callers sort them by name). */
export function labelSet(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return "";
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** Collects families in the order written; one family's samples must be written together. */
export class ExpositionWriter {
  private readonly lines: string[] = [];

  family(name: string, help: string, type: MetricType): void {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  /** `labels` is a labelSet() text; `timestampMs`, when given, is ms since the epoch. */
  sample(name: string, labels: string, value: number, timestampMs?: number): void {
    const at = timestampMs === undefined ? "" : ` ${Math.round(timestampMs)}`;
    this.lines.push(`${name}${labels} ${formatValue(value)}${at}`);
  }

  text(): string {
    return this.lines.length === 0 ? "" : this.lines.join("\n") + "\n";
  }
}
