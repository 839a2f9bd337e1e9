import { isBerthError } from "../../lib/errors.js";
import { EtcdConnection } from "../storage/etcd-connection.js";
import { etcdMethods } from "../storage/etcd-proto.js";
import {
  campaignTxn,
  observeTxn,
  readCampaign,
  type CampaignOutcome,
  type KeyChange,
} from "./campaign.js";
import { systemClock, type Clock } from "./clock.js";
import type { ElectionSettings } from "./election-options.js";
import { nextKeyChange } from "./key-watch.js";
import type { LeaderElection } from "./leader-election.js";
import { Leadership } from "./leadership.js";
import { revokeLease } from "./lease-rpc.js";
import { LeaseSession } from "./lease-session.js";

const maxBackoffMs = 1000;

/**
 * One candidate: a lease kept alive while etcd answers, and a campaign for the leader key on it.
 * The loop runs session after session: when a lease is lost (etcd unreachable past the deadline,
 * or expired), leadership ends at once and a new lease is granted when etcd is back.
 */
export class EtcdLeaderElection implements LeaderElection {
  private readonly connection: EtcdConnection;
  private readonly leadership: Leadership;
  private readonly closing = new AbortController();
  /** Leases lost or left unrevoked: revoked when etcd answers again, so their key goes at once. */
  private readonly staleLeases = new Set<string>();
  private readonly requestTimeoutMs: number;
  private session?: LeaseSession;
  /** After resign(): only watch the key until then, so another candidate takes over. */
  private holdBackUntil = Number.NEGATIVE_INFINITY;
  private loop?: Promise<void>;
  private closed?: Promise<void>;

  constructor(
    private readonly s: ElectionSettings,
    private readonly clock: Clock = systemClock,
  ) {
    // A call slower than half the TTL is no use to a lease that must be renewed every third.
    this.requestTimeoutMs = Math.min(5000, Math.max(1000, (s.leaseSeconds * 1000) / 2));
    this.connection = new EtcdConnection(s.endpoints, this.requestTimeoutMs);
    this.leadership = new Leadership({
      identity: s.identity,
      key: s.key,
      clock,
      logger: s.logger,
    });
  }

  start(): this {
    this.s.logger.info("joining the leader election", this.fields({ ttl: this.s.leaseSeconds }));
    this.loop = this.run();
    return this;
  }

  isLeader(): boolean {
    return this.leadership.isLeader();
  }

  leader(): string | undefined {
    return this.leadership.leader();
  }

  onChange(listener: (leading: boolean) => void): void {
    this.leadership.onChange(listener);
  }

  async resign(): Promise<void> {
    if (this.isClosed) return;
    this.holdBackUntil = this.clock.now() + this.s.leaseSeconds * 1000;
    this.leadership.stepDown("resigned");
    const session = this.session;
    this.session = undefined;
    if (session) await this.release(session);
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private get isClosed(): boolean {
    return this.closing.signal.aborted;
  }

  private async shutDown(): Promise<void> {
    this.closing.abort();
    this.leadership.stepDown("closing");
    const session = this.session;
    this.session = undefined;
    if (session) await this.release(session);
    await this.loop;
    try {
      await this.revokeStaleLeases();
    } catch {
      // etcd is unreachable: the leases expire within their TTL.
    }
    this.connection.close();
    this.s.logger.info("left the leader election", this.fields({}));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.isClosed) {
      try {
        await this.revokeStaleLeases();
        const session = await this.openSession();
        if (session) {
          failures = 0;
          await this.campaign(session);
        }
      } catch (err) {
        if (this.isClosed) break;
        failures++;
        this.retrying(failures, "leader election: etcd call failed; retrying", err);
      }
      await this.pause(backoffMs(failures), this.closing.signal);
    }
  }

  private async openSession(): Promise<LeaseSession | undefined> {
    const session = await LeaseSession.open({
      connection: this.connection,
      clock: this.clock,
      logger: this.s.logger,
      ttlSeconds: this.s.leaseSeconds,
      onLost: (lost, reason) => this.lost(lost, reason),
    });
    if (this.isClosed) {
      await this.release(session);
      return undefined;
    }
    this.session = session;
    this.s.logger.debug(
      "granted lease",
      this.fields({ lease: session.id, ttl: session.ttlSeconds }),
    );
    return session;
  }

  private lost(session: LeaseSession, reason: string): void {
    this.leadership.stepDown(`lease ${session.id} lost: ${reason}`);
    if (this.session === session) this.session = undefined;
    this.staleLeases.add(session.id);
    this.s.logger.warn("lease lost", this.fields({ lease: session.id, reason }));
  }

  /** Campaigns, then waits for the key to change and campaigns again, until the session ends. */
  private async campaign(session: LeaseSession): Promise<void> {
    const key = this.s.key;
    let failures = 0;
    while (!session.ended) {
      const observing = this.clock.now() < this.holdBackUntil;
      let outcome: CampaignOutcome;
      try {
        const response = await this.connection.call(
          etcdMethods().txn,
          observing ? observeTxn(key) : campaignTxn(key, this.s.identity, session.id),
          { what: `campaign for ${key}`, retry: "idempotent" },
        );
        outcome = readCampaign(response, session.id);
        failures = 0;
      } catch (err) {
        if (session.ended) return;
        failures++;
        this.retrying(failures, "leader election: campaign failed; retrying", err);
        await this.pause(backoffMs(failures), session.signal);
        continue;
      }
      if (session.ended) return;
      this.apply(outcome, session);
      const change = await this.awaitChange(outcome, session, observing);
      if (session.ended) return;
      this.observe(change, session);
      if (change.kind === "broken") {
        failures++;
        this.s.logger.debug("leader key watch broke", this.fields({ reason: change.reason }));
        await this.pause(backoffMs(failures), session.signal);
      }
    }
  }

  private apply(outcome: CampaignOutcome, session: LeaseSession): void {
    if (outcome.held === "us") {
      // False when the deadline passed meanwhile: the keeper is about to end the session.
      this.leadership.lead(session.deadline, session.id);
    } else {
      this.leadership.follow(outcome.holder, `${outcome.holder ?? "nobody"} holds the key`);
    }
  }

  private observe(change: KeyChange, session: LeaseSession): void {
    if (change.kind === "deleted") {
      this.leadership.follow(undefined, "the leader key was deleted");
    } else if (change.kind === "put" && change.lease !== session.id) {
      this.leadership.follow(change.holder, `${change.holder} holds the key`);
    }
  }

  /** The next change of the key; while holding back on a vacant key, also the hold-back's end. */
  private async awaitChange(
    outcome: CampaignOutcome,
    session: LeaseSession,
    observing: boolean,
  ): Promise<KeyChange> {
    if (!observing || outcome.held !== "nobody") {
      return nextKeyChange(this.connection, this.s.key, outcome.revision, session.signal);
    }
    const heldBack = new AbortController();
    const cancel = this.clock.schedule(this.holdBackUntil - this.clock.now(), () =>
      heldBack.abort(),
    );
    try {
      const signal = AbortSignal.any([session.signal, heldBack.signal]);
      return await nextKeyChange(this.connection, this.s.key, outcome.revision, signal);
    } finally {
      cancel();
    }
  }

  private async release(session: LeaseSession): Promise<void> {
    if (await session.release(this.requestTimeoutMs)) {
      this.s.logger.debug("revoked lease", this.fields({ lease: session.id }));
      return;
    }
    this.staleLeases.add(session.id);
    this.s.logger.warn(
      "could not revoke the lease; it expires within its TTL",
      this.fields({ lease: session.id }),
    );
  }

  /** Throws while etcd is unreachable; leases etcd refuses to revoke for another reason are dropped. */
  private async revokeStaleLeases(): Promise<void> {
    for (const id of [...this.staleLeases]) {
      try {
        await revokeLease(this.connection, id, this.requestTimeoutMs);
        this.s.logger.debug("revoked stale lease", this.fields({ lease: id }));
      } catch (err) {
        if (isBerthError(err) && (err.kind === "Unavailable" || err.kind === "DeadlineExceeded")) {
          throw err;
        }
        this.s.logger.warn(
          "could not revoke a stale lease",
          this.fields({ lease: id, ...errorOf(err) }),
        );
      }
      this.staleLeases.delete(id);
    }
  }

  /** Resolves after `ms`, or at once when `signal` aborts. */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        cancel();
        signal.removeEventListener("abort", done);
        resolve();
      };
      const cancel = this.clock.schedule(ms, done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** The first failure in a row is a warning; the rest of an outage would only repeat it. */
  private retrying(failures: number, message: string, err: unknown): void {
    const level = failures === 1 ? "warn" : "debug";
    this.s.logger.log(level, message, this.fields({ ...errorOf(err), failures }));
  }

  private fields(extra: Record<string, unknown>): Record<string, unknown> {
    return { identity: this.s.identity, key: this.s.key, ...extra };
  }
}

function backoffMs(failures: number): number {
  return Math.min(100 * 2 ** failures, maxBackoffMs);
}

function errorOf(err: unknown): { error: string } {
  return { error: err instanceof Error ? err.message : String(err) };
}
