// The one place a run's scope is built, for a new run and a resumed one alike: what differs between them is
// only what the store already holds (the money spent so far).
import { projectSlug } from '../../domain/paths.ts';
import type { Run } from '../../domain/records.ts';
import type { Repository } from '../../git/index.ts';
import { AuditTrail } from '../../report/audit.ts';
import { RunBudget } from '../core/budget.ts';
import type { EngineDeps, RunScope } from '../core/deps.ts';
import type { RunSettings } from '../core/settings.ts';

export interface RunScopeInput {
  deps: EngineDeps;
  repo: Repository;
  run: Run;
  settings: RunSettings;
  agentEnv: Record<string, string>;
  signal: AbortSignal;
}

/** The scope at the top of a run (the strategy's own level): no key prefix, the main task, direct merges. */
export function createRunScope({ deps, repo, run, settings, agentEnv, signal }: RunScopeInput): RunScope {
  return {
    deps,
    repo,
    projectSlug: projectSlug(repo.root),
    runId: run.id,
    goal: run.goal,
    target: run.target,
    baseSha: run.baseSha,
    settings,
    agentEnv,
    signal,
    // A resumed run has spent money already: its budget counts it.
    // Its child runs spend from it too (their attempts report to other processes: read from the store).
    budget: new RunBudget(settings.budget, run.costUsd, settings.delegate.enabled ? () => deps.store.runs.childrenCostUsd(run.id) : undefined),
    audit: new AuditTrail(repo.root, run.id),
    keyPrefix: '',
    taskKey: 'main',
    refinery: false,
    inflight: new Set(),
  };
}
