// A run on a repository given by URL ends by pushing its result back (remote/deliver.ts): whoever started the run —
// the CLI, the API, a daemon — gets the same delivery, recorded as a `run.delivered` event.
import { deliverRun } from '../../remote/deliver.ts';
import { redactUrlsIn } from '../../remote/url.ts';
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { RunScope } from '../core/deps.ts';

export async function deliverToRemote(scope: RunScope): Promise<void> {
  const { store, paths } = scope.deps;
  // Only a mirror has a remote to deliver to; said without a git process for every ordinary run.
  if (!isInside(scope.repo.commonDir, join(paths.home, 'mirrors'))) return;
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

function isInside(path: string, dir: string): boolean {
  // Real paths: git reports the common dir with symbolic links resolved, ORCH_HOME may hold one.
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const rel = relative(real(dir), real(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
