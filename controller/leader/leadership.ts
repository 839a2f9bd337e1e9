import type { Logger } from "../../lib/logger.js";
import type { Clock } from "./clock.js";
import type { LeaseDeadline } from "./lease-deadline.js";

export interface LeadershipParams {
  identity: string;
  key: string;
  clock: Clock;
  logger: Logger;
}

/**
 * What this candidate believes about the leader key, and who is told when it changes. Leading is
 * bound to the lease's deadline: past it isLeader() is false even before anyone steps down.
 */
export class Leadership {
  private deadline?: LeaseDeadline;
  private holder?: string;
  private readonly listeners: ((leading: boolean) => void)[] = [];

  constructor(private readonly p: LeadershipParams) {}

  onChange(listener: (leading: boolean) => void): void {
    this.listeners.push(listener);
  }

  isLeader(): boolean {
    return this.deadline !== undefined && this.deadline.holds(this.p.clock.now());
  }

  leader(): string | undefined {
    return this.holder;
  }

  /** We hold the key on the lease behind `deadline`. False if that deadline has passed already. */
  lead(deadline: LeaseDeadline, leaseId: string): boolean {
    if (!deadline.holds(this.p.clock.now())) return false;
    const was = this.deadline !== undefined;
    this.deadline = deadline;
    this.holder = this.p.identity;
    if (!was) {
      this.p.logger.info("leading", this.fields({ lease: leaseId }));
      this.notify(true);
    }
    return true;
  }

  /** Another candidate holds the key (`holder`), or nobody does (undefined). */
  follow(holder: string | undefined, reason: string): void {
    this.stepDown(reason);
    if (holder === this.holder) return;
    this.holder = holder;
    this.p.logger.info(holder === undefined ? "no leader" : "following", this.fields({ holder }));
  }

  stepDown(reason: string): void {
    if (this.deadline === undefined) return;
    this.deadline = undefined;
    this.holder = undefined;
    this.p.logger.info("stepped down", this.fields({ reason }));
    this.notify(false);
  }

  private notify(leading: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(leading);
      } catch (err) {
        this.p.logger.error("leader election listener failed", this.fields({ error: String(err) }));
      }
    }
  }

  private fields(extra: Record<string, unknown>): Record<string, unknown> {
    return { identity: this.p.identity, key: this.p.key, ...extra };
  }
}
