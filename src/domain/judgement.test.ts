import { describe, expect, it } from 'vitest';
import { weighChecks } from './judgement.ts';
import type { CheckResult } from './records.ts';

const check = (passed: boolean, tests?: { passed: string[]; failed: string[] }): CheckResult => ({
  name: 'test',
  command: 'npm test',
  exitCode: passed ? 0 : 1,
  passed,
  timedOut: false,
  durationMs: 10,
  outputTail: '',
  ...(tests ? { tests: { format: 'tap', ...tests } } : {}),
});

describe('weighing checks against the base', () => {
  it('passes a green attempt, and fails a red one on a green base', () => {
    expect(weighChecks([check(true)], [check(true)]).passed).toBe(true);
    expect(weighChecks([check(false)], [check(true)])).toMatchObject({ passed: false, broken: ['test'] });
  });

  it('does not hold a failure that was on the base against an attempt that fixes something and breaks nothing', () => {
    const base = check(false, { passed: ['a'], failed: ['old', 'goal'] });
    const attempt = check(false, { passed: ['a', 'goal'], failed: ['old'] });
    expect(weighChecks([attempt], [base])).toEqual({ passed: true, fixed: ['test: goal'], broken: [], stillFailing: ['test: old'] });
  });

  it('fails an attempt on a red base that breaks a test, deletes one, or fixes nothing', () => {
    const base = check(false, { passed: ['a', 'b'], failed: ['goal'] });
    expect(weighChecks([check(false, { passed: ['b', 'goal'], failed: ['a'] })], [base])).toMatchObject({ passed: false, broken: ['test: a'] });
    expect(weighChecks([check(false, { passed: ['a'], failed: ['goal'] })], [base])).toMatchObject({ passed: false, broken: ['test: b'] });
    expect(weighChecks([check(false, { passed: ['a', 'b'], failed: ['goal'] })], [base])).toMatchObject({ passed: false, fixed: [] });
  });

  it('falls back to whole checks without per-test results: red before and after fixes nothing', () => {
    expect(weighChecks([check(false)], [check(false)])).toEqual({ passed: false, fixed: [], broken: [], stillFailing: ['test'] });
    expect(weighChecks([check(true)], [check(false)])).toMatchObject({ passed: true, fixed: ['test'] });
  });
});
