// Removing what orch created, and only that: the worktrees recorded for a run's attempts. Branches stay, so
// no attempt's work is ever lost; `orch clean` prunes them once runs are over.
import { existsSync } from 'node:fs';
import { commitAll, removeWorktree } from '../git/index.ts';
import type { Attempt } from '../domain/records.ts';
import type { RunScope } from './deps.ts';

const finishedAndCommitted = (attempt: Attempt): boolean =>
  attempt.headSha !== null && (attempt.status === 'succeeded' || attempt.status === 'failed' || attempt.status === 'canceled');

export async function removeRunWorktrees(scope: RunScope): Promise<void> {
  const { store, logger } = scope.deps;
  for (const attempt of store.attempts.withLiveWorktrees(scope.runId)) {
    try {
      // Anything left uncommitted (an attempt stopped mid-way) goes onto its branch before the directory goes. A
      // finished attempt's runner committed already; what came after (check artifacts) is not the agent's work.
      if (!finishedAndCommitted(attempt) && existsSync(attempt.worktree)) await commitAll(attempt.worktree, `orch: work left in the worktree of ${attempt.id}`);
      await removeWorktree(scope.repo, attempt.worktree);
      store.attempts.markWorktreeRemoved(attempt.id);
    } catch (error) {
      // Keep the record so `orch clean` finds it later; never guess at deleting something else.
      logger.warn({ attempt: attempt.id, err: error }, 'could not remove worktree');
    }
  }
}
