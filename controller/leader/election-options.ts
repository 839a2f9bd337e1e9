import { invalidArgument } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { parseEndpoints, type EtcdEndpoint } from "../storage/etcd-endpoints.js";
import { checkKey } from "../storage/key-range.js";

export interface LeaderElectionOptions {
  /** etcd client URLs (http://HOST:PORT). */
  endpoints: string[];
  logger: Logger;
  /** The leader key (default "/berth/leader/controller"). */
  key?: string;
  /** This candidate, unique among them: leaderIdentity() gives hostname_pid_random. */
  identity: string;
  /** Lease TTL (default 15 s): how long a dead leader keeps the others waiting at most. */
  leaseSeconds?: number;
}

export interface ElectionSettings {
  endpoints: EtcdEndpoint[];
  logger: Logger;
  key: string;
  identity: string;
  leaseSeconds: number;
}

export const defaultLeaderKey = "/berth/leader/controller";
export const defaultLeaseSeconds = 15;
const maxLeaseSeconds = 3600;

export function electionSettings(options: LeaderElectionOptions): ElectionSettings {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("leader election options must be an object", { field: "options" });
  }
  const { identity, logger } = options;
  if (typeof identity !== "string" || identity.trim() === "") {
    throw invalidArgument(`identity must be a non-empty string, got ${JSON.stringify(identity)}`, {
      field: "identity",
    });
  }
  if (typeof logger?.info !== "function") {
    throw invalidArgument("logger must be a winston logger", { field: "logger" });
  }
  const leaseSeconds = options.leaseSeconds ?? defaultLeaseSeconds;
  if (!Number.isSafeInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > maxLeaseSeconds) {
    throw invalidArgument(
      `leaseSeconds must be a whole number of seconds from 1 to ${maxLeaseSeconds}, got ${JSON.stringify(leaseSeconds)}`,
      { field: "leaseSeconds" },
    );
  }
  return {
    endpoints: parseEndpoints(options.endpoints),
    logger,
    key: checkKey(options.key ?? defaultLeaderKey, "key"),
    identity,
    leaseSeconds,
  };
}
