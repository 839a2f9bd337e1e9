/** Prints rows in aligned columns, the way kubectl and crictl do. */
export function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  for (const row of all) {
    console.log(
      row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] + 3))).join(""),
    );
  }
}
