// Shared endings of strategies: merge the winner and say what happened.
import type { Attempt, Verdict } from '../domain/records.ts';
import type { Selection } from '../domain/selection.ts';
import type { StrategyContext, StrategyOutcome } from '../domain/strategy.ts';

/** Merge the winner if its checks passed; otherwise end failed, keeping every attempt on its branch. */
export async function mergeWinner(ctx: StrategyContext, winner: Attempt | undefined, verdict: Verdict | undefined, selection?: Selection): Promise<StrategyOutcome> {
  if (winner === undefined) {
    return { status: 'failed', summary: selection?.reason ?? 'No attempt produced a change.', selection };
  }
  if (verdict?.passed !== true) {
    const failed = verdict?.checks.filter((c) => !c.passed).map((c) => c.name) ?? [];
    const why = winner.status !== 'succeeded' ? `ended ${winner.status} (${winner.reason ?? 'unknown'})` : `failed its checks (${failed.join(', ') || 'none ran'})`;
    return { status: 'failed', summary: `The best attempt ${winner.id} ${why}; nothing was merged. Every attempt stays on its branch.`, winner: winner.id, selection };
  }
  const merge = await ctx.merge('merge', winner);
  const summary = selection ? `${selection.reason} ${merge.message}` : merge.message;
  return {
    status: merge.status === 'merged' || merge.status === 'left_on_branch' ? 'succeeded' : 'failed',
    summary,
    winner: winner.id,
    selection,
    merge,
  };
}

/** The verdict of each attempt, by id. */
export function verdictOf(verdicts: readonly Verdict[], attempt: Attempt): Verdict | undefined {
  return verdicts.find((v) => v.attemptId === attempt.id);
}
