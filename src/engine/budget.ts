// Money limits of one run. Per attempt: passed to agents that enforce it themselves, and enforced here for the
// rest. Per run: no attempt starts once the run has spent its budget, and running ones are stopped.
export interface BudgetLimits {
  attemptUsd?: number | undefined;
  runUsd?: number | undefined;
}

export class RunBudget {
  private readonly live = new Map<string, number>();
  private readonly stoppers = new Map<string, () => void>();

  /** `spentBefore`: what the run had spent before this process took it over (a resumed run). */
  constructor(
    readonly limits: BudgetLimits,
    private readonly spentBefore: number,
  ) {}

  spent(): number {
    let total = this.spentBefore;
    for (const cost of this.live.values()) total += cost;
    return total;
  }

  /** Whether the run may start another paid agent call. */
  exhausted(): boolean {
    return this.limits.runUsd !== undefined && this.spent() >= this.limits.runUsd;
  }

  /** Track a running call; `stop` is called if the run's or the call's limit is passed. */
  track(callId: string, stop: () => void): void {
    this.live.set(callId, 0);
    this.stoppers.set(callId, stop);
  }

  /**
   * The call's cost so far. Returns true when the call went past the per-attempt limit (the caller fails it
   * with reason budget). When the run as a whole is past its limit, every other running call is stopped.
   */
  report(callId: string, costUsd: number): boolean {
    this.live.set(callId, costUsd);
    if (this.exhausted()) {
      for (const [id, stop] of this.stoppers) if (id !== callId) stop();
    }
    return this.limits.attemptUsd !== undefined && costUsd > this.limits.attemptUsd;
  }

  /** The call ended; its cost stays counted. */
  untrack(callId: string): void {
    this.stoppers.delete(callId);
  }
}
