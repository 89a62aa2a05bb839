// ctx.merge: integrate the chosen attempt into the run's target (see merge/merge-attempt.ts for the safety rules).
import type { Attempt, Merge } from '../../domain/records.ts';
import { leaveOnResultBranch, mergeAttempt, targetTip } from '../../merge/merge-attempt.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';
import { holdBackReason, protectedChangeMessage, protectedChanges } from './protected-files.ts';
import { securityRefusal } from '../attempt/attempt-security.ts';

export function mergeStep(scope: RunScope, key: string, attempt: Attempt): Promise<Merge> {
  const { store } = scope.deps;
  return durableStep(
    scope,
    key,
    { attemptId: attempt.id },
    async () => {
      if (attempt.headSha === null) throw new Error(`attempt ${attempt.id} has no commit to merge`);
      // Tampering, symlinks out of the tree, secrets: a person looks first (secrets: never merged).
      // Read again: the checks may have found more since the strategy got this record.
      const refusal = securityRefusal(store.attempts.get(attempt.id));
      if (refusal !== null) {
        const merge = store.judgements.addMerge({ runId: scope.runId, attemptId: attempt.id, target: scope.target, status: 'failed', fromSha: await targetTip(scope), toSha: null, message: refusal });
        return { value: merge, stored: { mergeId: merge.id } };
      }
      const touched = protectedChanges(attempt);
      if (touched.length > 0) {
        const merge = store.judgements.addMerge({ runId: scope.runId, attemptId: attempt.id, target: scope.target, status: 'failed', fromSha: await targetTip(scope), toSha: null, message: protectedChangeMessage(attempt, touched) });
        return { value: merge, stored: { mergeId: merge.id } };
      }
      const verdict = store.judgements.verdictsByRun(scope.runId).filter((v) => v.attemptId === attempt.id).at(-1);
      const holdBack = holdBackReason(verdict, scope.settings.checks.allowUnchecked);
      if (holdBack !== null) {
        const merge = store.judgements.addMerge(await leaveOnResultBranch(scope, attempt.id, attempt.headSha, holdBack));
        return { value: merge, stored: { mergeId: merge.id } };
      }
      if (scope.settings.delivery.mode === 'pr') {
        // A pull request carries it to the target: orch never writes the target itself in this mode.
        const merge = store.judgements.addMerge(await leaveOnResultBranch(scope, attempt.id, attempt.headSha, 'left on its branch for a pull request (--deliver pr)'));
        return { value: merge, stored: { mergeId: merge.id } };
      }
      store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'merge.started', data: { target: scope.target } });
      const outcome = await mergeAttempt(scope.repo, {
        runId: scope.runId,
        attemptId: attempt.id,
        target: scope.target,
        headSha: attempt.headSha,
        message: `orch: ${scope.goal.split('\n')[0]?.slice(0, 72) ?? 'merge'}\n\nrun ${scope.runId}, attempt ${attempt.id}`,
        resultBranch: `orch/${scope.runId}/result`,
        baseSha: attempt.baseSha,
      });
      const merge = store.judgements.addMerge(outcome);
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
