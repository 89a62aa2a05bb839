// The StrategyContext the engine hands a strategy: every call a durable step, keyed by the strategy.
import type { Selection } from '../domain/selection.ts';
import { selectWinner, type Candidate } from '../domain/selection.ts';
import type { StrategyContext } from '../domain/strategy.ts';
import { attemptStep } from './attempt-step.ts';
import { compareStep } from './compare-step.ts';
import type { RunScope } from './deps.ts';
import { judgeStep } from './judge-step.ts';
import { mergeStep } from './merge-step.ts';

export function createStepContext(scope: RunScope): StrategyContext {
  const { store } = scope.deps;
  return {
    runId: scope.runId,
    goal: scope.goal,
    signal: scope.signal,
    settings: { agents: scope.settings.agents, review: scope.settings.review.enabled, selectionOrder: scope.settings.selectionOrder },
    attempt: (key, request) => attemptStep(scope, key, request),
    judge: (key, attempt, options) => judgeStep(scope, key, attempt, options),
    compare: (key, a, b) => compareStep(scope, key, a, b),
    merge: (key, attempt) => mergeStep(scope, key, attempt),
    select(key: string, candidates: readonly Candidate[]): Selection {
      // Pure, so it needs no replay; it is recorded so the report and the event feed can say why.
      const selection = selectWinner(candidates, scope.settings.selectionOrder);
      const done = store.steps.find(scope.runId, key);
      if (done?.status !== 'completed') {
        store.steps.start(scope.runId, key, { candidates: candidates.map((c) => c.attempt.id) });
        store.events.append({ runId: scope.runId, attemptId: selection.winner, type: 'selection.made', data: { ...selection } });
        store.steps.complete(scope.runId, key, selection);
      }
      return selection;
    },
    note(message: string, data: Record<string, unknown> = {}): void {
      store.events.append({ runId: scope.runId, type: 'run.note', data: { message, ...data } });
    },
  };
}
