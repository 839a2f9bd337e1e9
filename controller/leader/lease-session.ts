import type { Logger } from "../../lib/logger.js";
import type { EtcdConnection } from "../storage/etcd-connection.js";
import type { Clock } from "./clock.js";
import { LeaseDeadline } from "./lease-deadline.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { grantLease, keepAliveOpener, revokeLease } from "./lease-rpc.js";

export interface LeaseSessionParams {
  connection: EtcdConnection;
  clock: Clock;
  logger: Logger;
  ttlSeconds: number;
  /** The lease is or may be gone (not called after end() or release()). */
  onLost: (session: LeaseSession, reason: string) => void;
}

/**
 * One granted lease, kept alive until it is lost, ended or released. `signal` aborts when the
 * session is over, whichever way, so everything waiting on its behalf stops.
 */
export class LeaseSession {
  private readonly over = new AbortController();
  private keeper?: LeaseKeeper;

  private constructor(
    private readonly connection: EtcdConnection,
    readonly id: string,
    readonly ttlSeconds: number,
    readonly deadline: LeaseDeadline,
  ) {}

  static async open(p: LeaseSessionParams): Promise<LeaseSession> {
    const lease = await grantLease(p.connection, p.ttlSeconds, p.clock);
    const deadline = new LeaseDeadline();
    deadline.confirmed(lease.sentAt, lease.ttlSeconds);
    const session = new LeaseSession(p.connection, lease.id, lease.ttlSeconds, deadline);
    session.keeper = new LeaseKeeper({
      leaseId: lease.id,
      ttlSeconds: lease.ttlSeconds,
      deadline,
      clock: p.clock,
      open: keepAliveOpener(p.connection, lease.id),
      logger: p.logger,
      onLost: (reason) => {
        if (session.ended) return;
        session.over.abort();
        p.onLost(session, reason);
      },
    });
    session.keeper.start();
    return session;
  }

  get signal(): AbortSignal {
    return this.over.signal;
  }

  get ended(): boolean {
    return this.over.signal.aborted;
  }

  /** Stops renewing; the lease is left to expire. */
  end(): void {
    this.keeper?.stop();
    this.over.abort();
  }

  /** Stops renewing and revokes the lease, deleting its keys at once. False if that failed. */
  async release(timeoutMs: number): Promise<boolean> {
    this.end();
    try {
      await revokeLease(this.connection, this.id, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }
}
