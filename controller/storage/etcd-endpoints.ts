import { invalidArgument } from "../../lib/errors.js";

export interface EtcdEndpoint {
  /** As configured, for messages: "http://127.0.0.1:2379". */
  url: string;
  /** The gRPC target: "127.0.0.1:2379". */
  target: string;
  /** https: TLS (server verified against the system's roots); http: plaintext. */
  secure: boolean;
}

const endpointPattern = /^(?:(https?):\/\/)?([^/?#@]+?)\/?$/;
const authorityPattern = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/;

/** etcd client URLs as etcdctl takes them: http(s)://HOST:PORT, or HOST:PORT for plaintext. */
export function parseEndpoints(endpoints: unknown): EtcdEndpoint[] {
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    throw invalidArgument("endpoints must list at least one etcd URL (http://HOST:PORT)", {
      field: "endpoints",
    });
  }
  return endpoints.map((raw, i) => parseEndpoint(raw, `endpoints[${i}]`));
}

function parseEndpoint(raw: unknown, field: string): EtcdEndpoint {
  const bad = (why: string) =>
    invalidArgument(`${field}: ${JSON.stringify(raw)} ${why}`, { field });
  if (typeof raw !== "string") throw bad("is not a string");
  const parts = endpointPattern.exec(raw.trim());
  if (!parts) throw bad("is not an etcd client URL (http://HOST:PORT)");
  const authority = authorityPattern.exec(parts[2]);
  if (!authority) throw bad("needs a host and a port (http://HOST:PORT)");
  const port = Number(authority[2]);
  if (port < 1 || port > 65535) throw bad("has a port outside 1-65535");
  const secure = parts[1] === "https";
  return { url: raw.trim(), target: `${authority[1]}:${port}`, secure };
}
