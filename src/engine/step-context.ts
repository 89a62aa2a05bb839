// The StrategyContext the engine hands a strategy: every call is a durable step keyed by the strategy, so a
// resumed run returns finished steps from the store instead of doing their work again.
import { newId } from '../domain/ids.ts';
import type { Attempt, Merge, Verdict } from '../domain/records.ts';
import type { AttemptRequest, StrategyContext } from '../domain/strategy.ts';
import { attemptBranchName } from '../git/index.ts';
import { runChecks, type CheckSpec } from '../judge/checks.ts';
import { mergeAttempt } from '../merge/merge-attempt.ts';
import type { AuditTrail } from '../report/audit.ts';
import { runAttempt } from './attempt-runner.ts';
import type { RunScope } from './deps.ts';
import { attemptPrompt } from './prompt.ts';

export function checkSpecs(scope: RunScope): CheckSpec[] {
  const specs: CheckSpec[] = [];
  if (scope.settings.checks.test !== undefined) specs.push({ name: 'test', command: scope.settings.checks.test });
  if (scope.settings.checks.lint !== undefined) specs.push({ name: 'lint', command: scope.settings.checks.lint });
  return specs;
}

export function createStepContext(scope: RunScope, audit: AuditTrail): StrategyContext {
  const { store } = scope.deps;

  async function step<T>(key: string, input: unknown, work: () => Promise<T>, load: (result: unknown) => T): Promise<T> {
    const done = store.steps.find(scope.runId, key);
    if (done?.status === 'completed') return load(done.result);
    store.steps.start(scope.runId, key, input);
    const result = await work();
    return result;
  }

  return {
    runId: scope.runId,
    signal: scope.signal,

    attempt(key: string, request: AttemptRequest = {}): Promise<Attempt> {
      return step(
        key,
        request,
        async () => {
          const taskKey = request.taskKey ?? 'main';
          const n = store.attempts.listByRun(scope.runId).filter((a) => a.taskKey === taskKey).length + 1;
          const id = newId('att');
          const agent = request.agent ?? scope.settings.agent;
          const created = store.attempts.create({
            id,
            runId: scope.runId,
            taskKey,
            stepKey: key,
            n,
            agent,
            model: request.model ?? scope.settings.model ?? null,
            branch: attemptBranchName({ runId: scope.runId, taskKey, n }),
            worktree: scope.deps.paths.worktree(scope.projectSlug, id),
            baseSha: scope.baseSha,
            logPath: scope.deps.paths.attemptLog(scope.runId, id),
          });
          const finished = await runAttempt(scope, { attempt: created, prompt: attemptPrompt(scope.goal, request.feedback) });
          audit.attempt(finished);
          // An interrupted attempt is not a finished step: a resume runs it again.
          if (finished.status !== 'interrupted') store.steps.complete(scope.runId, key, { attemptId: finished.id });
          return finished;
        },
        (result) => store.attempts.get((result as { attemptId: string }).attemptId),
      );
    },

    judge(key: string, attempt: Attempt): Promise<Verdict> {
      return step(
        key,
        { attemptId: attempt.id },
        async () => {
          const checks = await runChecks(checkSpecs(scope), attempt.worktree, scope.settings.checks.timeoutMs, scope.signal);
          scope.signal.throwIfAborted();
          const verdict = store.judgements.addVerdict(scope.runId, {
            attemptId: attempt.id,
            passed: checks.every((c) => c.passed),
            checks,
            review: null,
          });
          audit.verdict(attempt, verdict);
          store.steps.complete(scope.runId, key, { verdictId: verdict.id });
          return verdict;
        },
        (result) => {
          const id = (result as { verdictId: string }).verdictId;
          const verdict = store.judgements.verdictsByRun(scope.runId).find((v) => v.id === id);
          if (verdict === undefined) throw new Error(`stored step ${key} names a missing verdict ${id}`);
          return verdict;
        },
      );
    },

    merge(key: string, attempt: Attempt): Promise<Merge> {
      return step(
        key,
        { attemptId: attempt.id },
        async () => {
          if (attempt.headSha === null) throw new Error(`attempt ${attempt.id} has no commit to merge`);
          const outcome = await mergeAttempt(scope.repo, {
            runId: scope.runId,
            attemptId: attempt.id,
            target: scope.target,
            headSha: attempt.headSha,
            message: `orch: ${scope.goal.split('\n')[0]?.slice(0, 72) ?? 'merge'}\n\nrun ${scope.runId}, attempt ${attempt.id}`,
            resultBranch: `orch/${scope.runId}/result`,
          });
          const merge = store.judgements.addMerge(outcome);
          store.steps.complete(scope.runId, key, { mergeId: merge.id });
          return merge;
        },
        (result) => {
          const id = (result as { mergeId: string }).mergeId;
          const merge = store.judgements.mergesByRun(scope.runId).find((m) => m.id === id);
          if (merge === undefined) throw new Error(`stored step ${key} names a missing merge ${id}`);
          return merge;
        },
      );
    },

    note(message: string, data: Record<string, unknown> = {}): void {
      store.events.append({ runId: scope.runId, type: 'run.note', data: { message, ...data } });
    },
  };
}
