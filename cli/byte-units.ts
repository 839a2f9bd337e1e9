/** Bytes in decimal units as Docker shows sizes: the scaled value and its unit (B, kB, MB, GB). */
export function scaleBytes(bytes: number): { value: number; unit: string } {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let u = 0;
  while (value >= 1000 && u < units.length - 1) {
    value /= 1000;
    u++;
  }
  return { value, unit: units[u] };
}
