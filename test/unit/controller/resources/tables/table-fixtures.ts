import type { TableDef } from "../../../../../controller/resources/tables/table-def.js";

/** The moment every table test prints at. */
export const now = new Date("2025-06-01T12:00:00Z");

/** The RFC3339 timestamp `seconds` before `now`. */
export function ago(seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString();
}

/** Column name → [type, priority], to compare column definitions at a glance. */
export function columnShapes(table: TableDef): [string, string, number][] {
  return table.columns.map((c) => [c.name, c.type, c.priority]);
}

/** The row as a map from column name to cell. */
export function cellsByName(table: TableDef, row: unknown[]): Record<string, unknown> {
  return Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]]));
}
