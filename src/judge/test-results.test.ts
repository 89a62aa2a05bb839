import { describe, expect, it } from 'vitest';
import { parseJsonReport, parseJUnit, parseNodeSpec, parseOutput, parseTap } from './test-results.ts';

describe('per-test results', () => {
  it('reads TAP, skipping SKIP and TODO', () => {
    const tap = ['TAP version 13', 'ok 1 - adds', 'not ok 2 - subtracts', 'ok 3 - later # SKIP not yet', '1..3'].join('\n');
    expect(parseTap(tap)).toEqual({ format: 'tap', passed: ['adds'], failed: ['subtracts'] });
  });

  it("reads node --test's spec output, ignoring the repeated failure summary", () => {
    const spec = ['✔ adds (1.2ms)', '✖ subtracts (3ms)', 'ℹ tests 2', '', '✖ failing tests:', '', '✖ subtracts (3ms)'].join('\n');
    expect(parseNodeSpec(spec)).toEqual({ format: 'node-spec', passed: ['adds'], failed: ['subtracts'] });
    expect(parseOutput('no tests here')).toBeUndefined();
  });

  it('reads JUnit XML: failures and errors fail, skipped tests do not count', () => {
    const xml = `<testsuite><testcase classname="math" name="adds"/><testcase classname="math" name="subtracts"><failure message="x"/></testcase>
      <testcase classname="math" name="divides"><error/></testcase><testcase classname="math" name="later"><skipped/></testcase></testsuite>`;
    expect(parseJUnit(xml)).toEqual({ format: 'junit', passed: ['math > adds'], failed: ['math > subtracts', 'math > divides'] });
  });

  it("reads jest's and mocha's JSON reports", () => {
    const jest = JSON.stringify({ testResults: [{ assertionResults: [{ fullName: 'a', status: 'passed' }, { fullName: 'b', status: 'failed' }, { fullName: 'c', status: 'pending' }] }] });
    expect(parseJsonReport(jest)).toEqual({ format: 'json', passed: ['a'], failed: ['b'] });
    const mocha = JSON.stringify({ passes: [{ fullTitle: 'x' }], failures: [{ fullTitle: 'y' }] });
    expect(parseJsonReport(mocha)).toEqual({ format: 'json', passed: ['x'], failed: ['y'] });
  });
});
