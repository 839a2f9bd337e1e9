/** A metav1.Time: RFC 3339 in UTC with whole seconds ("2025-01-02T03:04:05Z"). */
export function kubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A metav1.MicroTime: RFC 3339 in UTC with six fractional digits, as Leases carry. */
export function microTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
