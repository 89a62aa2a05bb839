import { describe, expect, it } from 'vitest';
import { resetFromMessage } from './credential-wait.ts';

describe('the reset time of a rate limit, read from what the agent said', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it.each([
    ['rate limited, retry-after: 20', 20_000],
    ['Claude AI usage limit reached|1767272400', 3_600_000],
    ['API Error: Request rejected (429) · usage limit reached; resets at 2026-01-01T12:00:20.000Z', 20_000],
    ["You've hit your usage limit. Try again in 2 hours 5 minutes.", 7_500_000],
    ['try again in 30s', 30_000],
  ])('%s', (text, ms) => {
    expect(resetFromMessage(text, now)).toBe(ms);
  });

  it('says nothing when the message names no reset', () => {
    expect(resetFromMessage('API Error: Request rejected (429) · usage limit reached', now)).toBeUndefined();
  });
});
