// A run on a repository given by URL ends by pushing its result back (remote/deliver.ts): whoever started the run —
// the CLI, the API, a daemon — gets the same delivery, recorded as a `run.delivered` event.
import { deliverRun } from '../remote/deliver.ts';
import { redactUrlsIn } from '../remote/url.ts';
import type { RunScope } from './deps.ts';

export async function deliverToRemote(scope: RunScope): Promise<void> {
  const { store } = scope.deps;
  const merged = store.judgements.mergesByRun(scope.runId).some((merge) => merge.status === 'merged' && merge.target === scope.target);
  try {
    const delivery = await deliverRun(scope.repo, { id: scope.runId, target: scope.target, merged });
    if (delivery !== null) store.events.append({ runId: scope.runId, type: 'run.delivered', data: { ...delivery } });
  } catch (error) {
    // The run's own work is done and kept in the mirror; only the push failed. Say so, and how to get it.
    const message = `the result could not be pushed: ${redactUrlsIn(error instanceof Error ? error.message : String(error))}; it is in the mirror at ${scope.repo.commonDir}`;
    store.events.append({ runId: scope.runId, type: 'run.delivered', data: { status: 'failed', message } });
  }
}
