import { electionSettings, type LeaderElectionOptions } from "./election-options.js";
import { EtcdLeaderElection } from "./etcd-leader-election.js";

export { defaultLeaderKey, defaultLeaseSeconds } from "./election-options.js";
export type { LeaderElectionOptions } from "./election-options.js";
export { leaderIdentity } from "./leader-identity.js";

/** This process's place in the election for one key. */
export interface LeaderElection {
  /** True while we hold the key and our lease is surely alive (never past its local deadline). */
  isLeader(): boolean;
  /** The identity in the leader key as last seen (ours while leading); undefined if none. */
  leader(): string | undefined;
  /** Called with true on becoming leader and false on stepping down, only on a change. */
  onChange(listener: (leading: boolean) => void): void;
  /**
   * Steps down and revokes our lease, so another candidate takes over at once. We campaign
   * again only if nobody has taken the key within one lease TTL.
   */
  resign(): Promise<void>;
  /** Steps down, revokes our lease and closes every stream and the connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Joins the election for `key` (default /berth/leader/controller) on etcd. Returns at once; the
 * campaign runs in the background and etcd being down only delays it. Throws InvalidArgument
 * naming the field for bad options.
 */
export function startLeaderElection(options: LeaderElectionOptions): LeaderElection {
  return new EtcdLeaderElection(electionSettings(options)).start();
}
