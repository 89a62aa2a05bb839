// ctx.integrate: merging work into a branch through the refinery (one merge at a time per branch, conflicts to a
// resolver agent, checks on the merged tree before the branch moves).
import type { Merge } from '../../domain/records.ts';
import type { IntegrationSource } from '../../domain/strategy.ts';
import { isRefMoved, resolveCommit } from '../../git/index.ts';
import { targetTip } from '../../merge/merge-attempt.ts';
import { integrate } from '../../merge/refinery.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';
import { protectedChangeMessage, protectedChanges, unreviewedCheckFileChanges } from './protected-files.ts';
import { securityRefusal } from '../attempt/attempt-security.ts';
import { mergedTreeChecks } from './guarded-checks.ts';
import { baselineChecks } from './baseline-step.ts';
import { conflictResolver } from './resolve-step.ts';

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 60);

export function integrateStep(scope: RunScope, key: string, source: IntegrationSource, target: string): Promise<Merge> {
  const { store, paths } = scope.deps;
  const name = slug(source.taskKey ?? source.attempt?.taskKey ?? key);
  return durableStep(
    scope,
    key,
    { attemptId: source.attempt?.id ?? null, branch: source.branch ?? null, target },
    async () => {
      const headSha = source.attempt?.headSha ?? (source.branch ? await resolveCommit(scope.repo, `refs/heads/${source.branch}`) : null);
      if (headSha === null) throw new Error(`nothing to integrate for step ${key}`);
      const refusal = source.attempt ? securityRefusal(store.attempts.get(source.attempt.id)) : null;
      if (source.attempt && refusal !== null) {
        const merge = store.judgements.addMerge({ runId: scope.runId, attemptId: source.attempt.id, target, status: 'failed', fromSha: await targetTip(scope, target), toSha: null, message: refusal, taskKey: source.taskKey ?? null });
        return { value: merge, stored: { mergeId: merge.id } };
      }
      const touched = source.attempt ? protectedChanges(source.attempt) : [];
      if (source.attempt && touched.length > 0) {
        const merge = store.judgements.addMerge({ runId: scope.runId, attemptId: source.attempt.id, target, status: 'failed', fromSha: await targetTip(scope, target), toSha: null, message: protectedChangeMessage(source.attempt, touched), taskKey: source.taskKey ?? null });
        return { value: merge, stored: { mergeId: merge.id } };
      }
      // Within a plan too, a change to the files that define the checks is never merged unreviewed.
      const verdict = source.attempt ? store.judgements.verdictsByRun(scope.runId).filter((v) => v.attemptId === source.attempt?.id).at(-1) : undefined;
      const checkFiles = unreviewedCheckFileChanges(verdict);
      if (source.attempt && checkFiles.length > 0) {
        const message = `The attempt changes files that define the checks (${checkFiles.join(', ')}) and no reviewer passed the change, so orch did not merge it. Review it, then merge it yourself: git merge ${source.attempt.branch}`;
        const merge = store.judgements.addMerge({ runId: scope.runId, attemptId: source.attempt.id, target, status: 'failed', fromSha: await targetTip(scope, target), toSha: null, message, taskKey: source.taskKey ?? null });
        return { value: merge, stored: { mergeId: merge.id } };
      }
      const suffix = `${name}-${Date.now().toString(36)}`;
      const integrateOnce = (attempt: number) =>
        integrate({
          repo: scope.repo,
          runId: scope.runId,
          attemptId: source.attempt?.id ?? null,
          target,
          headSha,
          message: `orch: merge ${source.taskKey ?? 'work'} into ${target}\n\n${source.intent.slice(0, 500)}\n\nrun ${scope.runId}`,
          integrationPath: paths.worktree(scope.projectSlug, `${scope.runId}-integrate-${suffix}-${attempt}`),
          integrationBranch: `orch/${scope.runId}/integrate/${suffix}-${attempt}`,
          resultBranch: `orch/${scope.runId}/result/${suffix}-${attempt}`,
          runChecks: mergedTreeChecks(scope, source.attempt?.id ?? null),
          baseline: () => baselineChecks(scope, scope.baseSha),
          copyFiles: scope.settings.copyFiles,
          resolve: conflictResolver(scope, {
            stepKey: key,
            attemptId: source.attempt?.id ?? null,
            target,
            taskKey: source.taskKey ?? null,
            incomingIntent: source.intent,
            targetIntent: landedIntents(scope, target),
            logName: `resolve-${suffix}`,
          }),
        });
      // The checks can take minutes; if the target moved meanwhile (another orch, a person), merge again on the new tip.
      const timed = { runId: scope.runId, attemptId: source.attempt?.id ?? null, data: { target, taskKey: source.taskKey ?? null } };
      store.events.append({ ...timed, type: 'merge.queued' });
      const outcome = await scope.deps.mergeQueue.run(target, async () => {
        store.events.append({ ...timed, type: 'merge.started' });
        for (let tries = 1; ; tries++) {
          try {
            return await integrateOnce(tries);
          } catch (error) {
            if (!isRefMoved(error) || tries >= 3) throw error;
            store.events.append({ runId: scope.runId, type: 'merge.retry', data: { target, reason: 'the target moved while the merged tree was checked' } });
          }
        }
      });
      scope.signal.throwIfAborted();
      const merge = store.judgements.addMerge({ ...outcome.merge, checks: outcome.checks, taskKey: source.taskKey ?? null });
      return { value: merge, stored: { mergeId: merge.id } };
    },
    (stored) => {
      const id = stored.mergeId;
      const merge = store.judgements.mergesByRun(scope.runId).find((m) => m.id === id);
      if (merge === undefined) throw new Error(`stored step ${key} names a missing merge ${id}`);
      return merge;
    },
  );
}

/** What already landed on the target in this run: the intents a resolver must keep. */
function landedIntents(scope: RunScope, target: string): string {
  const { store } = scope.deps;
  const tasks = store.tasks.listByRun(scope.runId);
  const landed = store.judgements
    .mergesByRun(scope.runId)
    .filter((m) => m.target === target && m.status === 'merged' && m.taskKey !== null)
    .map((m) => tasks.find((t) => t.key === m.taskKey))
    .filter((t) => t !== undefined)
    .map((t) => `${t.title}: ${t.description}`);
  return landed.length > 0 ? landed.join('\n\n') : `The work already on ${target}.`;
}
