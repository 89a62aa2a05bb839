// Before a run is taken up again: agents recorded as running whose orch is gone are stopped (only if the
// recorded pid is still the same process) and their attempts marked interrupted, so a resume can go on.
import type { Logger } from 'pino';
import { OrchError } from '../domain/errors.ts';
import { isAlive, killRecordedGroup } from '../process/registry.ts';
import type { Store } from '../store/store.ts';

export async function reconcileRun(store: Store, runId: string, logger: Logger, options: { allowLiveOwner: boolean }): Promise<void> {
  const owner = store.runs.ownerPid(runId);
  const run = store.runs.get(runId);
  if (!options.allowLiveOwner && run.status === 'running' && owner !== null && owner !== process.pid && isAlive(owner)) {
    throw new OrchError('usage', `Run ${runId} is still running in orch process ${owner}.`, {
      hint: `Stop that process first (kill -INT ${owner}), then resume.`,
    });
  }
  for (const recorded of store.attempts.recordedRunning(runId)) {
    if (recorded.pid !== null && (await killRecordedGroup(recorded.pid, recorded.pidStart))) {
      logger.warn({ attempt: recorded.id, pid: recorded.pid }, 'stopped an orphaned agent');
      store.events.append({ runId, attemptId: recorded.id, type: 'attempt.orphan_stopped', data: { pid: recorded.pid } });
    }
    store.attempts.markInterrupted(recorded.id, 'orch stopped while this attempt ran');
  }
  for (const attempt of store.attempts.listByRun(runId).filter((a) => a.status === 'queued')) {
    store.attempts.markInterrupted(attempt.id, 'orch stopped before this attempt started');
  }
}
