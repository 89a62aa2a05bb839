// A run's whole record in one read: what `orch show`, the API and the engine report. Only the store is needed, so
// a command that only reads (orch show) does not load the engine for it.
import type { RunReport } from '../domain/run-report.ts';
import type { Store } from './store.ts';

export function runReport(store: Store, runId: string): RunReport {
  const run = store.runs.get(runId);
  return {
    run,
    attempts: store.attempts.listByRun(runId),
    verdicts: store.judgements.verdictsByRun(runId),
    comparisons: store.judgements.comparisonsByRun(runId),
    merges: store.judgements.mergesByRun(runId),
    children: store.runs.children(runId),
    tasks: store.tasks.listByRun(runId),
    project: store.projects.get(run.projectPath),
    // A run on a repository by URL: how its result went back (engine/run/delivery.ts).
    delivery: (store.events.ofType(runId, 'run.delivered').at(-1)?.data as RunReport['delivery'] | undefined) ?? null,
    // A queue run: the worker of each delivery of each attempt (distributed/queue-executor.ts).
    workers: store.events.ofType(runId, 'attempt.worker').map((event) => ({
      attemptId: event.attemptId ?? '',
      worker: String(event.data['worker']),
      host: String(event.data['host']),
      delivery: Number(event.data['delivery']),
    })),
  };
}
