import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** hostname_pid_random: tells candidates apart, also two on one host or a restarted process. */
export function leaderIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(4).toString("hex")}`;
}
