// The checks on the base, once per run and base commit (a durable step, so a resume does not run them again):
// an attempt is then judged on what it fixes and breaks, not on failures that were there before it. Started as
// the run starts, so a red base is reported up front, while the agents work.
import type { CheckResult } from '../../domain/records.ts';
import type { RunScope } from '../core/deps.ts';
import { withTreeAt } from './attempt-tree.ts';
import { durableStep } from './durable.ts';
import { checkSpecs } from './check-specs.ts';
import { runChecksGuarded } from './guarded-checks.ts';

/** In this process: one baseline per run and base, however many attempts ask for it at once. */
const started = new Map<string, Promise<CheckResult[] | null>>();

function measure(scope: RunScope, baseSha: string): Promise<CheckResult[] | null> {
  const key = `baseline/${baseSha}`;
  return durableStep(
    scope,
    key,
    { baseSha },
    async () => {
      const name = `baseline-${scope.runId}-${baseSha.slice(0, 12)}`;
      // Watched like every check (guarded-checks.ts); a tampering is an event here, never a failing base check,
      // which would excuse the same failure on an attempt.
      const { checks } = await withTreeAt(scope, name, `orch/${scope.runId}/baseline/${baseSha.slice(0, 12)}`, baseSha, (cwd) => runChecksGuarded(scope, 'baseline', cwd, null));
      scope.signal.throwIfAborted();
      const failing = checks.filter((c) => !c.passed);
      scope.deps.store.events.append({
        runId: scope.runId,
        type: 'baseline.recorded',
        data: {
          baseSha,
          red: failing.length > 0,
          checks: checks.map((c) => ({ name: c.name, passed: c.passed, flaky: c.flaky === true, failedTests: c.tests?.failed.slice(0, 20) ?? null })),
        },
      });
      return { value: checks, stored: { checks } };
    },
    (stored) => stored.checks,
  );
}

/** The base's check results; null when there are no checks, or the base could not be checked (then every
 * attempt is judged on its own results, as before there was a baseline). */
export function baselineChecks(scope: RunScope, baseSha: string): Promise<CheckResult[] | null> {
  if (checkSpecs(scope).length === 0) return Promise.resolve(null);
  const id = `${scope.runId}/${baseSha}`;
  let baseline = started.get(id);
  if (baseline === undefined) {
    baseline = measure(scope, baseSha).catch((error: unknown) => {
      if (scope.signal.aborted) throw error;
      scope.deps.store.events.append({ runId: scope.runId, type: 'run.note', data: { message: `the base's checks could not run (${(error as Error).message}); attempts are judged on their own results` } });
      return null;
    });
    started.set(id, baseline);
    // An interrupted baseline is measured again by the resume.
    baseline.catch(() => started.delete(id));
  }
  return baseline;
}
