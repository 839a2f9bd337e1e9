import type { Logger } from "../../lib/logger.js";
import type { LeaseKeepAliveResponse } from "../storage/etcd-messages.js";
import type { Clock } from "./clock.js";
import type { LeaseDeadline } from "./lease-deadline.js";

/** One LeaseKeepAlive stream, as the keeper uses it. */
export interface KeepAliveChannel {
  /** Asks etcd to renew the lease for its TTL. */
  renew(): void;
  close(): void;
}

export interface KeepAliveHandlers {
  answered(response: LeaseKeepAliveResponse): void;
  /** The stream failed or ended; nothing more arrives on it. */
  broken(reason: string): void;
}

/** Opens a keep-alive stream for one lease (may throw when the connection is closed). */
export type OpenKeepAlive = (handlers: KeepAliveHandlers) => KeepAliveChannel;

export interface LeaseKeeperParams {
  leaseId: string;
  ttlSeconds: number;
  /** Already confirmed by the grant; every renewal moves it on. */
  deadline: LeaseDeadline;
  clock: Clock;
  open: OpenKeepAlive;
  logger: Logger;
  /** After each renewal. */
  onRenewed?: () => void;
  /** Once, when the lease is or may be gone; nothing is sent after it. */
  onLost: (reason: string) => void;
}

const maxReopenDelayMs = 1000;

/**
 * Keeps one lease alive: a renewal every TTL/3 on a keep-alive stream that is reopened whenever
 * it breaks, and "lost" as soon as the deadline passes without a renewal or etcd answers TTL 0.
 */
export class LeaseKeeper {
  private channel?: KeepAliveChannel;
  /** Stands for the open stream: answers from an older one are ignored. */
  private current?: object;
  /** Send times of the renewals not answered yet, oldest first (etcd answers in order). */
  private unanswered: number[] = [];
  private stopped = false;
  private reopenAttempts = 0;
  private cancelTick?: () => void;
  private cancelExpiry?: () => void;
  private cancelReopen?: () => void;
  private readonly intervalMs: number;

  constructor(private readonly p: LeaseKeeperParams) {
    this.intervalMs = (p.ttlSeconds * 1000) / 3;
  }

  start(): void {
    this.armExpiry();
    // The grant has just set the deadline: the first renewal is due one interval from now.
    this.open(false);
    this.scheduleTick();
  }

  /** Stops renewing (the lease is left to expire unless someone revokes it). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTick?.();
    this.cancelExpiry?.();
    this.cancelReopen?.();
    this.closeChannel();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private scheduleTick(): void {
    this.cancelTick = this.p.clock.schedule(this.intervalMs, () => {
      if (this.stopped) return;
      this.renew();
      this.scheduleTick();
    });
  }

  private renew(): void {
    if (!this.channel) return;
    this.unanswered.push(this.p.clock.now());
    this.channel.renew();
  }

  private open(renewNow = true): void {
    this.cancelReopen = undefined;
    if (this.stopped) return;
    const token = {};
    this.current = token;
    try {
      this.channel = this.p.open({
        answered: (response) => {
          if (this.current === token) this.answered(response);
        },
        broken: (reason) => {
          if (this.current === token) this.broken(reason);
        },
      });
    } catch (err) {
      this.broken(err instanceof Error ? err.message : String(err));
      return;
    }
    if (renewNow) this.renew();
  }

  private answered(response: LeaseKeepAliveResponse): void {
    const sentAt = this.unanswered.shift();
    // An answer we cannot tie to a send time proves nothing about when the lease expires.
    if (sentAt === undefined) return;
    const ttl = Number(response.TTL);
    if (!(ttl > 0)) {
      this.lose("etcd answered the keep-alive with TTL 0: the lease expired or was revoked");
      return;
    }
    this.p.deadline.confirmed(sentAt, ttl);
    this.reopenAttempts = 0;
    this.armExpiry();
    this.p.onRenewed?.();
  }

  private broken(reason: string): void {
    if (this.stopped) return;
    this.closeChannel();
    const delay = Math.min(100 * 2 ** this.reopenAttempts, maxReopenDelayMs);
    this.reopenAttempts++;
    this.p.logger.debug("lease keep-alive stream broke; reopening", {
      lease: this.p.leaseId,
      reason,
      delayMs: delay,
    });
    this.cancelReopen = this.p.clock.schedule(delay, () => this.open());
  }

  private armExpiry(): void {
    this.cancelExpiry?.();
    const { clock, deadline } = this.p;
    this.cancelExpiry = clock.schedule(deadline.stepDownAt - clock.now(), () => {
      if (deadline.holds(clock.now())) this.armExpiry();
      else this.lose(`not renewed within its ${this.p.ttlSeconds} s TTL`);
    });
  }

  private lose(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.p.onLost(reason);
  }

  private closeChannel(): void {
    const channel = this.channel;
    this.channel = undefined;
    this.current = undefined;
    this.unanswered = [];
    channel?.close();
  }
}
