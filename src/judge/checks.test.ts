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
