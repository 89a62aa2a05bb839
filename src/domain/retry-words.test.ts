import { describe, expect, it } from 'vitest';
import { retryWords } from './retry-words.ts';

describe('retry words', () => {
  it('give the HTTP status, else what orch found, never "status null"', () => {
    expect(retryWords({ attempt: 2, status: 529 })).toBe('API retry 2 after HTTP status 529');
    expect(retryWords({ attempt: 1, status: null, reason: 'connection refused to http://127.0.0.1:1 (ANTHROPIC_BASE_URL)' })).toBe(
      'API retry 1: connection refused to http://127.0.0.1:1 (ANTHROPIC_BASE_URL)',
    );
    expect(retryWords({ attempt: 3, status: null })).toBe('API retry 3: no answer from the model API');
  });
});
