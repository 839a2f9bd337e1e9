const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY_HOURS = 24;
const YEAR_DAYS = 365;

/**
 * A duration as Kubernetes prints ages (k8s.io/apimachinery duration.HumanDuration): two or three
 * significant figures, coarser as it grows ("45s", "3m5s", "2h7m", "6d5h", "3y12d"). Clocks may
 * disagree a little, so up to a second in the future still reads "0s"; further is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return withRemainder(minutes, "m", seconds % 60, "s");
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return withRemainder(hours, "h", minutes % 60, "m");
  if (hours < 2 * DAY_HOURS) return `${hours}h`;

  const days = Math.trunc(hours / DAY_HOURS);
  if (hours < 8 * DAY_HOURS) return withRemainder(days, "d", hours % DAY_HOURS, "h");
  if (hours < 2 * YEAR_DAYS * DAY_HOURS) return `${days}d`;

  const years = Math.trunc(days / YEAR_DAYS);
  if (hours < 8 * YEAR_DAYS * DAY_HOURS) return withRemainder(years, "y", days % YEAR_DAYS, "d");
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * The age of a timestamp at `now`, as the AGE column shows it. A missing timestamp is
 * "<unknown>" (as Kubernetes prints a zero time); so is one that does not parse.
 */
export function formatAge(from: string | undefined, now: Date): string {
  if (from === undefined || from === "") return "<unknown>";
  const start = Date.parse(from);
  const end = now.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) return "<unknown>";
  return humanDuration(end - start);
}

/** formatAge for a JSON field that may hold anything. */
export function formatAgeOf(from: unknown, now: Date): string {
  return formatAge(typeof from === "string" ? from : undefined, now);
}
