// ctx.compare: the reviewer reads compact summaries of two attempts and names the better one. If it cannot
// decide, the selection rules decide, and the record says so.
import type { Attempt, Comparison } from '../../domain/records.ts';
import { selectWinner } from '../../domain/selection.ts';
import { diffText } from '../../git/index.ts';
import { compareAttempts, summarizeAttempt, type CompareOutcome } from '../../judge/comparator.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';
import { judgeAgentOptions } from './judge-agent.ts';
import { recordAgentCall } from './agent-call.ts';

async function summary(scope: RunScope, attempt: Attempt): Promise<string> {
  const verdict = scope.deps.store.judgements.verdictsByRun(scope.runId).findLast((v) => v.attemptId === attempt.id);
  const text = attempt.headSha === null ? { text: '', truncated: false } : await diffText(scope.repo, attempt.baseSha, attempt.headSha, { maxChars: 20_000 });
  const stat = attempt.diff ?? { filesChanged: 0, insertions: 0, deletions: 0, files: [] };
  return summarizeAttempt({ stat, text: text.text, truncated: text.truncated }, verdict?.checks ?? []);
}

export function compareStep(scope: RunScope, key: string, a: Attempt, b: Attempt): Promise<Comparison> {
  const { store } = scope.deps;
  return durableStep(
    scope,
    key,
    { a: a.id, b: b.id },
    async () => {
      // Past the run's budget no agent is asked: the selection rules decide.
      const spent = scope.budget.exhausted();
      const outcome: CompareOutcome = spent
        ? { status: 'compare_failed', error: "the run's budget is used up; no comparison was asked for", usage: { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } }
        : await scope.deps.limiter.run(
            async () => compareAttempts({ ...judgeAgentOptions(scope, scope.repo.root, `compare-${a.id}-${b.id}`), goal: scope.goal, a: await summary(scope, a), b: await summary(scope, b) }),
            scope.signal,
          );
      scope.signal.throwIfAborted();
      if (!spent) recordAgentCall(scope, { kind: 'compare', stepKey: key, attemptId: null, status: outcome.status, usage: outcome.usage });
      let winner: string;
      let reasoning: string;
      if (outcome.status === 'compared') {
        winner = outcome.winner === 'A' ? a.id : b.id;
        reasoning = outcome.reasoning;
      } else {
        const verdicts = store.judgements.verdictsByRun(scope.runId);
        const fallback = selectWinner([a, b].map((attempt) => ({ attempt, verdict: verdicts.findLast((v) => v.attemptId === attempt.id) ?? null })), scope.settings.selectionOrder);
        winner = fallback.winner ?? a.id;
        reasoning = `The comparison failed (${outcome.error}); chosen by the selection rules: ${fallback.reason}`;
      }
      const comparison = store.judgements.addComparison({ runId: scope.runId, stepKey: key, aAttemptId: a.id, bAttemptId: b.id, winnerAttemptId: winner, status: outcome.status, reasoning });
      return { value: comparison, stored: { comparisonId: comparison.id } };
    },
    (stored) => {
      const id = stored.comparisonId;
      const comparison = store.judgements.comparisonsByRun(scope.runId).find((c) => c.id === id);
      if (comparison === undefined) throw new Error(`stored step ${key} names a missing comparison ${id}`);
      return comparison;
    },
  );
}
