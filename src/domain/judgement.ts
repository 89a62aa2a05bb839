// Weighing an attempt's checks against the base's: an attempt is judged on what it fixes and what it breaks,
// test by test where the runner reports tests, else check by check. A pure function, so it is easy to test.
import type { CheckResult } from './records.ts';

export interface Weighing {
  /** True when nothing broke and, if anything was failing, something was fixed (or everything passes). */
  passed: boolean;
  fixed: string[];
  broken: string[];
  stillFailing: string[];
}

const unique = (items: Iterable<string>): string[] => [...new Set(items)];

/** One check of the attempt against the same check on the base (undefined: the base was not checked). */
function weighCheck(check: CheckResult, base: CheckResult | undefined): Omit<Weighing, 'passed'> {
  const label = (test: string) => `${check.name}: ${test}`;
  if (base === undefined || base.passed) {
    if (check.passed) return { fixed: [], broken: [], stillFailing: [] };
    const failed = check.tests?.failed ?? [];
    return { fixed: [], broken: failed.length > 0 ? failed.map(label) : [check.name], stillFailing: [] };
  }
  // The base was red: which of its failures are gone, and is anything new failing?
  const baseFailed = new Set(base.tests?.failed ?? []);
  if (check.passed) return { fixed: base.tests ? [...baseFailed].map(label) : [check.name], broken: [], stillFailing: [] };
  if (base.tests === undefined || check.tests === undefined) {
    // No per-test results on one side: the check failed before and after, and that is all one can tell.
    return { fixed: [], broken: base.tests !== undefined ? [check.name] : [], stillFailing: [check.name] };
  }
  const now = new Set([...check.tests.passed, ...check.tests.failed]);
  const newlyFailing = check.tests.failed.filter((t) => !baseFailed.has(t));
  // A test that passed on the base and is gone from the results (deleted, or the run crashed before it) broke.
  const vanished = base.tests.passed.filter((t) => !now.has(t));
  return {
    fixed: [...baseFailed].filter((t) => check.tests?.passed.includes(t)).map(label),
    broken: [...newlyFailing, ...vanished].map(label),
    stillFailing: check.tests.failed.filter((t) => baseFailed.has(t)).map(label),
  };
}

/** Every check of one run of the attempt's checks, weighed against the base's run of the same checks. */
export function weighChecks(checks: readonly CheckResult[], base: readonly CheckResult[] | null): Weighing {
  const parts = checks.map((check) => weighCheck(check, base?.find((b) => b.name === check.name)));
  const fixed = unique(parts.flatMap((p) => p.fixed));
  const broken = unique(parts.flatMap((p) => p.broken));
  const stillFailing = unique(parts.flatMap((p) => p.stillFailing));
  const allGreen = checks.every((c) => c.passed);
  return { passed: allGreen || (broken.length === 0 && fixed.length > 0), fixed, broken, stillFailing };
}
