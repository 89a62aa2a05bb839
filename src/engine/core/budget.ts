// Money limits of one run. Per attempt: passed to agents that enforce it themselves, and enforced here for the
// rest. Per run: once the run has spent its budget every running attempt is stopped (the one that spent it too)
// and none starts. orch cannot stop a turn the model has begun, so it keeps room for one more turn of every
// running attempt (at the dearest turn's price seen): an attempt starts only when that room is there with its own
// turn added, and when the room runs short the attempts started last are stopped first. So n attempts side by side
// end at most one turn past the budget, like one attempt alone.
import { InterruptedError } from '../../domain/errors.ts';

export interface BudgetLimits {
  attemptUsd?: number | undefined;
  runUsd?: number | undefined;
}

/** Why the budget stops an attempt: the run's budget is spent, or it is short and others started first. */
export type BudgetStop = 'spent' | 'shed';

interface Tracked {
  cost: number;
  /** What it had already cost when tracking began (counted in `spentBefore` already). */
  baseline: number;
  turns: number;
  stop: (why: BudgetStop) => void;
  /** Stopped to leave the run's budget to the attempts started before it; what it may still spend is not held. */
  shed: boolean;
}

const noStop = () => undefined;

export class RunBudget {
  private readonly tracked = new Map<string, Tracked>();
  /** Attempts that ended in this process: their cost beyond what `spentBefore` counted. */
  private ended = 0;
  /** Agent calls that are not attempts (reviews, plans, comparisons, resolutions) finished in this process. */
  private calls = 0;
  /** The dearest single model turn seen in this run: what a running attempt may spend before orch hears of it. */
  private turnUsd: number | undefined;
  private readonly waiters = new Set<() => void>();

  /** What the run's child runs had spent when this budget began (counted in `spentBefore` already). */
  private readonly childrenBefore: number;

  /**
   * `spentBefore`: what the run had spent before this process took it over (a resumed run), its children's
   * included. `childrenSpent`: what its child runs (delegate calls, run by other processes) have spent by now.
   */
  constructor(
    readonly limits: BudgetLimits,
    private readonly spentBefore: number,
    private readonly childrenSpent: () => number = () => 0,
  ) {
    this.childrenBefore = childrenSpent();
  }

  spent(): number {
    let total = this.spentBefore + this.ended + this.calls + (this.childrenSpent() - this.childrenBefore);
    for (const call of this.tracked.values()) total += call.cost - call.baseline;
    return total;
  }

  /** A finished agent call that is not an attempt. */
  addCall(costUsd: number): void {
    this.calls += costUsd;
    this.checkRun();
  }

  /** Whether the run may start no other paid agent call. */
  exhausted(): boolean {
    return this.limits.runUsd !== undefined && this.spent() >= this.limits.runUsd;
  }

  /**
   * Wait until the run's budget has room for one more attempt, and hold its place: true to start it, false when
   * the budget is spent. Room means what was spent, plus what each running attempt may still spend (the rest of its
   * own limit, or else one more turn at the dearest turn's price seen), plus the same for this one, stays within the
   * run's limit. While nothing is known of a turn's price and no per-attempt limit is set, attempts start one at a
   * time until the first turn is priced; one always may start when none runs. `baseline`: what it cost already.
   */
  async admit(callId: string, baseline: number, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) throw new InterruptedError();
      if (this.exhausted()) return false;
      if (this.hasRoom()) {
        this.tracked.set(callId, { cost: baseline, baseline, turns: 0, stop: noStop, shed: false });
        return true;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Track a running attempt (admitted or not); `stop` is called when a limit is passed. `baseline`: what it had
   * already cost (a resumed attempt), which `spentBefore` counts already, in `turns` turns. */
  track(callId: string, stop: (why: BudgetStop) => void, baseline = 0, turns = 0): void {
    const known = this.tracked.get(callId);
    this.tracked.set(callId, known === undefined ? { cost: baseline, baseline, turns, stop, shed: false } : { ...known, turns, stop });
    if (known?.shed === true) stop('shed'); // shed between its admission and its start
    else if (this.exhausted()) stop('spent');
  }

  /**
   * The call's cost and turns so far. Returns true when the call went past the per-attempt limit (the caller fails
   * it with reason budget). When the run as a whole reaches its limit, every running call is stopped.
   */
  report(callId: string, costUsd: number, turns = 0): boolean {
    const call = this.tracked.get(callId);
    if (call !== undefined) {
      if (turns > call.turns && costUsd > call.cost) {
        const perTurn = (costUsd - call.cost) / (turns - call.turns);
        this.turnUsd = Math.max(this.turnUsd ?? 0, perTurn);
      }
      call.cost = costUsd;
      call.turns = Math.max(call.turns, turns);
    }
    this.checkRun();
    return this.limits.attemptUsd !== undefined && costUsd > this.limits.attemptUsd;
  }

  /** The call ended; its cost stays counted. */
  untrack(callId: string): void {
    const call = this.tracked.get(callId);
    if (call === undefined) return;
    this.tracked.delete(callId);
    this.ended += call.cost - call.baseline;
    this.wake();
  }

  private checkRun(): void {
    if (this.exhausted()) for (const call of this.tracked.values()) call.stop('spent');
    else this.shed();
    this.wake();
  }

  /** Stop the attempts started last while the budget has no room for one more turn of each running attempt. */
  private shed(): void {
    const { runUsd } = this.limits;
    const turn = this.turnUsd;
    if (runUsd === undefined || turn === undefined) return;
    const running = [...this.tracked.values()].filter((call) => !call.shed);
    while (running.length > 1 && this.spent() + running.length * turn > runUsd) {
      const youngest = running.pop();
      if (youngest === undefined) break;
      youngest.shed = true;
      youngest.stop('shed');
    }
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private hasRoom(): boolean {
    const { runUsd, attemptUsd } = this.limits;
    if (runUsd === undefined || this.tracked.size === 0) return true;
    const mayStillSpend = (cost: number) => (attemptUsd !== undefined ? Math.max(0, attemptUsd - cost) : this.turnUsd);
    const own = mayStillSpend(0);
    if (own === undefined) return false; // nothing known of what an attempt costs yet: wait for the first turn
    let held = 0;
    for (const call of this.tracked.values()) if (!call.shed) held += mayStillSpend(call.cost - call.baseline) ?? 0;
    return this.spent() + held + own <= runUsd;
  }
}
