/** The parts of a resolv.conf a pod's DNS is built from. */
export interface DnsSettings {
  servers: string[];
  searches: string[];
  options: string[];
}

/**
 * Parses resolv.conf text as kubelet does: nameserver lines accumulate; the last search line and
 * the last options line win; search domains lose a trailing dot; # comments are skipped.
 */
export function parseResolvConf(text: string): DnsSettings {
  const out: DnsSettings = { servers: [], searches: [], options: [] };
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#")) continue;
    const [keyword, ...rest] = trimmed.split(/\s+/).filter((f) => f !== "");
    if (keyword === "nameserver" && rest.length > 0) out.servers.push(rest[0]);
    else if (keyword === "search") out.searches = rest.map((s) => s.replace(/\.$/, ""));
    else if (keyword === "options") out.options = rest;
  }
  return out;
}
