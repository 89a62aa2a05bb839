// Reconciling the store with reality, for one run or for all at start: agents recorded as running whose orch
// is gone are stopped (only if the recorded pid is still the same process) and their attempts marked
// interrupted; worktrees recorded but gone from disk are pruned from git and the record. Nothing that holds
// unmerged work is deleted: work lives on branches. Worktrees of runs that ended (an orch killed between recording
// the end and removing them) are removed as the end would have; those of interrupted runs stay for a resume.
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { isRunOver, type RunStatus } from '../../domain/status.ts';
import { openRepository, pruneWorktrees } from '../../git/index.ts';
import { killRecordedGroup } from '../../process/registry.ts';
import type { Store } from '../../store/store.ts';
import { removeRunWorktrees } from './cleanup.ts';
import { leaseOwner, takeLease } from './lease.ts';
import { runSettingsSchema } from '../core/settings.ts';

/** Take the run (its lease) and stop what a dead orch left of it. */
export async function reconcileRun(store: Store, runId: string, logger: Logger): Promise<number> {
  takeLease(store, runId);
  let stopped = 0;
  for (const recorded of store.attempts.recordedRunning(runId)) {
    if (recorded.pid !== null && (await killRecordedGroup(recorded.pid, recorded.pidStart))) {
      stopped++;
      logger.warn({ attempt: recorded.id, pid: recorded.pid }, 'stopped an orphaned agent');
      store.events.append({ runId, attemptId: recorded.id, type: 'attempt.orphan_stopped', data: { pid: recorded.pid } });
    }
    store.attempts.markInterrupted(recorded.id, 'orch stopped while this attempt ran');
  }
  for (const attempt of store.attempts.listByRun(runId).filter((a) => a.status === 'queued')) {
    store.attempts.markInterrupted(attempt.id, 'orch stopped before this attempt started');
  }
  return stopped;
}

export interface Recovery {
  interruptedRuns: string[];
  stoppedAgents: number;
  prunedWorktrees: number;
  /** Worktrees of runs that had ended (succeeded, failed, canceled) when their orch died before removing them. */
  removedWorktrees: number;
}

/**
 * A run ends by recording its status, then removing its worktrees: an orch killed between the two (kill -9 right
 * after a success) left worktrees the run no longer needs. They go now, as the run's end would have removed them
 * (uncommitted leftovers onto their branch first); an interrupted run keeps its own, a resume goes on in them.
 */
async function finishEndedRuns(store: Store, logger: Logger): Promise<number> {
  let removed = 0;
  const runIds = new Set(store.attempts.withLiveWorktrees().map((attempt) => attempt.runId));
  for (const runId of runIds) {
    const run = store.runs.find(runId);
    if (run === undefined || !endsWithoutWorktrees(run.status) || leaseOwner(store, runId) !== 'nobody') continue;
    const settings = runSettingsSchema.safeParse(store.runs.settings(runId));
    if (!settings.success || settings.data.keepWorktrees) continue;
    const leftBefore = store.attempts.withLiveWorktrees(runId).length;
    try {
      await removeRunWorktrees(store, logger, await openRepository(run.projectPath), runId);
    } catch (error) {
      // The repository may be gone: `orch clean` finds what is left.
      logger.warn({ run: runId, err: error }, 'could not remove the worktrees of an ended run');
    }
    removed += leftBefore - store.attempts.withLiveWorktrees(runId).length;
  }
  return removed;
}

const endsWithoutWorktrees = (status: RunStatus): boolean => status === 'succeeded' || status === 'failed' || status === 'canceled';

/** At every start: runs whose orch died are marked interrupted (resumable), their agents stopped. */
export async function recoverOnStart(store: Store, logger: Logger): Promise<Recovery> {
  const recovery: Recovery = { interruptedRuns: [], stoppedAgents: 0, prunedWorktrees: 0, removedWorktrees: 0 };
  for (const run of store.runs.inProgress()) {
    if (leaseOwner(store, run.id) !== 'nobody') continue;
    const owner = store.runs.lease(run.id).ownerPid;
    recovery.stoppedAgents += await reconcileRun(store, run.id, logger);
    store.runs.transition(run.id, 'interrupted', { reason: `orch (pid ${owner ?? '?'}) stopped while this run ran; resume it with: orch resume ${run.id}` });
    recovery.interruptedRuns.push(run.id);
  }
  recovery.removedWorktrees = await finishEndedRuns(store, logger);
  for (const attempt of store.attempts.withLiveWorktrees()) {
    if (existsSync(attempt.worktree)) continue;
    const run = store.runs.find(attempt.runId);
    // A live run creates worktrees after recording them: only a run nobody works on may have vanished ones.
    if (run === undefined || leaseOwner(store, run.id) !== 'nobody') continue;
    if (!isRunOver(run.status)) continue;
    try {
      await pruneWorktrees(await openRepository(run.projectPath));
    } catch (error) {
      logger.warn({ attempt: attempt.id, err: error }, 'could not prune a vanished worktree');
    }
    store.attempts.markWorktreeRemoved(attempt.id);
    recovery.prunedWorktrees++;
  }
  if (recovery.interruptedRuns.length > 0 || recovery.stoppedAgents > 0 || recovery.removedWorktrees > 0) logger.warn(recovery, 'recovered from an earlier orch that stopped');
  return recovery;
}
