import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from './checks.ts';

afterEach(() => {
  delete process.env['ORCH_TEST_SERVICE_TOKEN'];
});

describe('runCheck', () => {
  it('keeps secrets from the environment out of the output tail', async () => {
    process.env['ORCH_TEST_SERVICE_TOKEN'] = 'tok-0123456789-very-secret';
    const result = await runCheck({ name: 'test', command: 'echo "token is $ORCH_TEST_SERVICE_TOKEN"; echo "again $ORCH_TEST_SERVICE_TOKEN" >&2; exit 1' }, process.cwd(), { timeoutMs: 10_000 });
    expect(result.passed).toBe(false);
    expect(result.outputTail).not.toContain('tok-0123456789-very-secret');
    expect(result.outputTail).toContain('token is [redacted]');
    expect(result.outputTail).toContain('again [redacted]');
  });
});

describe('reruns and per-test results', () => {
  it('runs a failing check again: failing then passing is a flaky pass; failing twice is a failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-check-'));
    try {
      const everyOther = { name: 'test', command: 'if [ -f flag ]; then rm flag; exit 0; else touch flag; echo first run failed; exit 1; fi' };
      expect(await runCheck(everyOther, dir, { timeoutMs: 10_000, reruns: 1 })).toMatchObject({ passed: true, flaky: true, runs: 2, outputTail: 'first run failed' });
      expect(await runCheck(everyOther, dir, { timeoutMs: 10_000, reruns: 0 })).toMatchObject({ passed: false });
      expect(await runCheck({ name: 'test', command: 'exit 1' }, dir, { timeoutMs: 10_000, reruns: 2 })).toMatchObject({ passed: false, runs: 3 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads per-test results from a JUnit report the check writes, never from a stale one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-check-'));
    try {
      const junit = '<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>';
      const result = await runCheck({ name: 'test', command: ['/bin/sh', '-c', `echo '${junit}' > report.xml; exit 1`] }, dir, { timeoutMs: 10_000, reports: ['report.xml'] });
      expect(result.tests).toEqual({ format: 'junit', passed: ['a'], failed: ['b'] });
      const stale = await runCheck({ name: 'test', command: 'exit 1' }, dir, { timeoutMs: 10_000, reports: ['report.xml', '../outside.xml'] });
      expect(stale.tests).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
