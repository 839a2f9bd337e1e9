import { errnoCode } from "../../../lib/errors.js";

const connectErrors: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network is unreachable",
  EADDRNOTAVAIL: "cannot assign requested address",
};

/** A failed connection as Go's dialer words it, which users know from kubelet's events. */
export function dialErrorMessage(err: unknown, hostPort: string): string {
  const code = errnoCode(err) ?? "";
  if (code in connectErrors) return `dial tcp ${hostPort}: connect: ${connectErrors[code]}`;
  if (code === "ECONNRESET") return `read tcp ${hostPort}: connection reset by peer`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `dial tcp: lookup ${hostPort.replace(/:\d+$/, "")}: no such host`;
  }
  return err instanceof Error ? err.message : String(err);
}
