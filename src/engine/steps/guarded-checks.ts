// Every check orch runs executes code it does not trust: the base's test command, and on the merged tree the
// agent's code. So the repository's git control files (config, hooks, info) are watched around each run of the
// checks, as around an attempt's own (attempt/attempt-security.ts), and what changed is put back at once. Before,
// only an attempt's checks were watched: the base's and the merged tree's ran unguarded, and a test command that
// ran `git config core.editor …` left the user's .git changed.
import type { CheckResult } from '../../domain/records.ts';
import { controlFilesGuard, type ControlChange } from '../../git/control-guard.ts';
import { runChecks } from '../../judge/checks.ts';
import type { RunScope } from '../core/deps.ts';
import { checkRunOptions, checkSpecs } from './check-specs.ts';

export interface GuardedChecks {
  checks: CheckResult[];
  /** What the checks (or anything running beside them) changed in the git control files; already put back. */
  changes: ControlChange[];
}

/** Run the run's checks in `cwd` with the git control files watched; `during` names the phase in the events. */
export async function runChecksGuarded(scope: RunScope, during: 'baseline' | 'merged-tree', cwd: string, attemptId: string | null): Promise<GuardedChecks> {
  const guard = controlFilesGuard(scope.repo.commonDir);
  const id = `${scope.runId}/${during}/${cwd}`;
  await guard.begin(id, cwd, (changes, alongside) => {
    scope.deps.store.events.append({ runId: scope.runId, attemptId, type: 'checks.tampered', data: { changes, restored: true, alongside, during } });
  });
  // The guard looks a last time and puts back what changed even when the checks throw.
  let checks: CheckResult[];
  try {
    checks = await runChecks(checkSpecs(scope), cwd, checkRunOptions(scope));
  } catch (error) {
    await guard.end(id);
    throw error;
  }
  const changes = await guard.end(id);
  return { checks, changes };
}

/** A failing check that stands for a tampering: the merged tree is not merged when its checks changed .git. */
function tamperedCheck(changes: readonly ControlChange[]): CheckResult {
  const paths = [...new Set(changes.map((change) => change.path))].join(', ');
  return {
    name: 'git control files',
    command: '(orch: the checks must not change .git)',
    exitCode: null,
    passed: false,
    timedOut: false,
    durationMs: 0,
    outputTail: `The checks changed the repository's git control files (${paths}); orch put them back.`,
  };
}

/** The checks of a merged tree (the refinery's, a pull request's updated branch): a tampering fails them. */
export function mergedTreeChecks(scope: RunScope, attemptId: string | null): (cwd: string) => Promise<CheckResult[]> {
  return async (cwd) => {
    const { checks, changes } = await runChecksGuarded(scope, 'merged-tree', cwd, attemptId);
    return changes.length > 0 ? [...checks, tamperedCheck(changes)] : checks;
  };
}
