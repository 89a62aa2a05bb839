// The StrategyContext the engine hands a strategy: every call a durable step, keyed by the strategy (and, inside
// a task, prefixed by the task's key).
import { tasksTimeline } from '../../report/run-timeline.ts';
import { selectWinner, type Candidate, type Selection } from '../../domain/selection.ts';
import type { StrategyContext } from '../../domain/strategy.ts';
import { addBranch, resolveCommit } from '../../git/index.ts';
import { attemptStep } from './attempt-step.ts';
import { compareStep } from './compare-step.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';
import { integrateStep } from './integrate-step.ts';
import { judgeStep } from './judge-step.ts';
import { mergeStep } from './merge-step.ts';
import { planStep } from './plan-step.ts';
import { taskScope } from './task-scope.ts';

export function createStepContext(scope: RunScope): StrategyContext {
  const { store } = scope.deps;
  const k = (key: string): string => `${scope.keyPrefix}${key}`;
  return {
    runId: scope.runId,
    goal: scope.goal,
    target: scope.target,
    signal: scope.signal,
    settings: { agents: scope.settings.agents, review: scope.settings.review.enabled, selectionOrder: scope.settings.selectionOrder },
    attempt: (key, request) => attemptStep(scope, k(key), request),
    judge: (key, attempt, options) => judgeStep(scope, k(key), attempt, options),
    compare: (key, a, b) => compareStep(scope, k(key), a, b),
    merge: (key, attempt) =>
      scope.refinery
        ? integrateStep(scope, k(key), { attempt, intent: scope.goal, taskKey: scope.taskKey }, scope.target)
        : mergeStep(scope, k(key), attempt),
    select(key: string, candidates: readonly Candidate[]): Selection {
      // Pure, so it needs no replay; it is recorded so the report and the event feed can say why.
      const selection = selectWinner(candidates, scope.settings.selectionOrder);
      const done = store.steps.find(scope.runId, k(key));
      if (done?.status !== 'completed') {
        store.steps.start(scope.runId, k(key), { candidates: candidates.map((c) => c.attempt.id) });
        store.events.append({ runId: scope.runId, attemptId: selection.winner, type: 'selection.made', data: { ...selection, taskKey: scope.taskKey } });
        store.steps.complete(scope.runId, k(key), selection);
      }
      return selection;
    },
    note(message: string, data: Record<string, unknown> = {}): void {
      store.events.append({ runId: scope.runId, type: 'run.note', data: { message, ...data } });
    },
    plan: (key, request) => planStep(scope, k(key), request),
    forTask: async (task, target, round = 0) => createStepContext(await taskScope(scope, task, target, round)),
    integrate: (key, source, target) => integrateStep(scope, k(key), source, target),
    teamBranch: (key, task, from) =>
      durableStep(
        scope,
        k(key),
        { task: task.key, from },
        async () => {
          // Flat (no '/'): a subtask's team branch may not sit under its parent's as a path (git refuses x and x/y).
          const branch = `orch/${scope.runId}/team/${task.key.replace(/\//g, '--').replace(/[^A-Za-z0-9._-]+/g, '-')}`;
          await addBranch(scope.repo, branch, await resolveCommit(scope.repo, `refs/heads/${from}`));
          store.tasks.setStatus(scope.runId, task.key, 'running', { branch });
          return { value: branch, stored: { branch } };
        },
        (stored) => stored.branch,
      ),
    setTaskStatus(task, status, reason) {
      store.tasks.setStatus(scope.runId, task.key, status, { reason: reason ?? null });
    },
    tasksTimeline: (taskKeys) => tasksTimeline(store, scope.runId, taskKeys),
    writeReport: (relativePath, markdown) => scope.audit.write(relativePath, markdown),
  };
}
