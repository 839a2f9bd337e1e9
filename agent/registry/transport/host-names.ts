import net from "node:net";

/** Splits "host", "host:port", "[::1]:port" into a hostname (no brackets) and a port. */
export function splitHostPort(host: string): { hostname: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) return { hostname: bracketed[1], port: bracketed[2] };
  // A bare IPv6 address has several colons and no port.
  if (net.isIPv6(host)) return { hostname: host };
  const colon = host.lastIndexOf(":");
  return colon === -1
    ? { hostname: host }
    : { hostname: host.slice(0, colon), port: host.slice(colon + 1) };
}

/** localhost, 127.0.0.0/8 and ::1 (with or without a port): registries Docker reaches over plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  const name = splitHostPort(host).hostname.toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (net.isIPv4(name)) return name.startsWith("127.");
  if (net.isIPv6(name)) {
    if (name === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(name)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
    return mapped !== null && mapped[1].startsWith("127.");
  }
  return false;
}

/** The host reference domains name Docker Hub by, and where its registry API actually lives. */
export const dockerHubDomain = "docker.io";
export const dockerHubEndpoint = "registry-1.docker.io";

/** What credential files may call Docker Hub. */
export const dockerHubAliases = [
  dockerHubDomain,
  "index.docker.io",
  dockerHubEndpoint,
  "https://index.docker.io/v1/",
];
