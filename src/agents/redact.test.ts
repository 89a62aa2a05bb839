import { describe, expect, it } from 'vitest';
import { makeRedactor, secretValues } from './redact.ts';

describe('redaction', () => {
  it('replaces every occurrence of each secret value, the longest first', () => {
    const redact = makeRedactor(['sk-ant-abcdef123456', 'sk-ant-abcdef123456-longer', 'short', 'a.b*c+d?e(f)']);
    expect(redact('key sk-ant-abcdef123456 and sk-ant-abcdef123456-longer; again sk-ant-abcdef123456')).toBe('key [redacted] and [redacted]; again [redacted]');
    expect(redact('regex chars a.b*c+d?e(f) only, not aXbbbcdef')).toBe('regex chars [redacted] only, not aXbbbcdef');
    expect(redact('short stays')).toBe('short stays');
    expect(makeRedactor([])('anything')).toBe('anything');
  });

  it('picks the values of variables whose names look secret, long enough to be one', () => {
    expect(
      secretValues({
        ANTHROPIC_API_KEY: 'sk-ant-0123456789',
        GITHUB_TOKEN: 'ghp_0123456789',
        DB_PASSWORD: 'hunter2hunter2',
        client_secret: 'abcdefghij',
        AWS_CREDENTIALS_FILE_CONTENT: 'aaaaaaaaaa',
        SHORT_TOKEN: '1234',
        PATH: '/usr/bin:/bin:/usr/local/bin',
        HOME: '/home/someone',
        UNSET_KEY: undefined,
      }).sort(),
    ).toEqual(['aaaaaaaaaa', 'abcdefghij', 'ghp_0123456789', 'hunter2hunter2', 'sk-ant-0123456789']);
  });
});
