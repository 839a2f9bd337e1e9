/**
 * One sample's value in a Prometheus text exposition: the series named `name` with exactly
 * `labels` (undefined: no such series).
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? "")
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort();
    if (have.join(",") === wanted.join(",")) return Number(m[3]);
  }
  return undefined;
}

/** The `le` bounds of a histogram's buckets, in order, as exposed for its first label set. */
export function bucketBounds(text: string, name: string): string[] {
  const bounds: string[] = [];
  for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"`, "gm"))) {
    if (bounds.includes(m[1])) break;
    bounds.push(m[1]);
  }
  return bounds;
}
