// Money limits of one run. Per attempt: passed to agents that enforce it themselves, and enforced here for the
// rest. Per run: no attempt starts once the run has spent its budget, and running ones are stopped.
export interface BudgetLimits {
  attemptUsd?: number | undefined;
  runUsd?: number | undefined;
}

export class RunBudget {
  private readonly live = new Map<string, number>();
  /** What each tracked call had already cost when tracking began (counted in `spentBefore` already). */
  private readonly baselines = new Map<string, number>();
  private readonly stoppers = new Map<string, () => void>();
  /** Agent calls that are not attempts (reviews, plans, comparisons, resolutions) finished in this process. */
  private calls = 0;

  /** `spentBefore`: what the run had spent before this process took it over (a resumed run). */
  constructor(
    readonly limits: BudgetLimits,
    private readonly spentBefore: number,
  ) {}

  spent(): number {
    let total = this.spentBefore + this.calls;
    for (const [id, cost] of this.live) total += cost - (this.baselines.get(id) ?? 0);
    return total;
  }

  /** A finished agent call that is not an attempt. */
  addCall(costUsd: number): void {
    this.calls += costUsd;
    if (this.exhausted()) for (const stop of this.stoppers.values()) stop();
  }

  /** Whether the run may start another paid agent call. */
  exhausted(): boolean {
    return this.limits.runUsd !== undefined && this.spent() >= this.limits.runUsd;
  }

  /** Track a running attempt; `stop` is called if the run's limit is passed. `baseline`: what it had already
   * cost (a resumed attempt), which `spentBefore` counts already. */
  track(callId: string, stop: () => void, baseline = 0): void {
    this.baselines.set(callId, this.baselines.get(callId) ?? baseline);
    this.live.set(callId, this.live.get(callId) ?? baseline);
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
