// Label key and value syntax (Kubernetes IsQualifiedName / IsValidLabelValue), used to decide
// whether a selector can be printed at all, as Kubernetes does before formatting one.

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

/** "app", "app.kubernetes.io/name": an optional DNS-subdomain prefix and a name of up to 63 characters. */
export function isLabelKey(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0 || prefix.length > MAX_PREFIX || !DNS_SUBDOMAIN.test(prefix)) {
      return false;
    }
  }
  return name.length <= MAX_NAME && NAME.test(name);
}

/** Empty, or up to 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= MAX_NAME && NAME.test(value));
}
