/**
 * Milliseconds as Go's time.Duration.String() writes them, which is how metav1.Duration (the
 * metrics' window) travels: "0s", "850ms", "15.012s", "1m0.5s", "2h3m4s".
 */
export function goDuration(ms: number): string {
  const totalMs = Math.round(ms);
  if (totalMs === 0) return "0s";
  const sign = totalMs < 0 ? "-" : "";
  let rest = Math.abs(totalMs);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = (rest / 1000).toFixed(3).replace(/\.?0+$/, "");
  const h = hours > 0 ? `${hours}h` : "";
  const m = hours > 0 || minutes > 0 ? `${minutes}m` : "";
  return `${sign}${h}${m}${seconds}s`;
}
