// The shared ladder: each rung decides before the ones below it, whatever the agent's data.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../domain/agent-events.ts';
import { classifyExit, type FailureRules } from './classify.ts';

const result = (fields: Partial<Extract<AgentEvent, { kind: 'result' }>>): AgentEvent => ({
  kind: 'result',
  isError: true,
  subtype: 'error',
  turns: 1,
  costUsd: 0,
  usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
  sessionId: 's',
  durationMs: 1,
  permissionDenials: [],
  apiErrorStatus: null,
  errors: [],
  text: '',
  ...fields,
});
const failed = { exitCode: 1, signal: null };
const killed = { exitCode: null, signal: 'SIGTERM' };
const rules: FailureRules = {
  exitCodes: { 41: 'auth' },
  errorNames: { max_turns: ['turn_limit'], budget: ['spent'] },
  patterns: { auth: /log in/i, rate_limited: /slow down/i, transient: /try again/i },
};

describe('the classify ladder', () => {
  it('is ok only for a clean result and exit 0', () => {
    expect(classifyExit(rules, { exitCode: 0, signal: null }, [result({ isError: false })])).toBe('ok');
    expect(classifyExit(rules, failed, [result({ isError: false })])).toBe('fatal');
  });

  it("reads the CLI's own exit codes and error names before any status or text", () => {
    expect(classifyExit(rules, { exitCode: 41, signal: null }, [result({ apiErrorStatus: 429 })])).toBe('auth');
    expect(classifyExit(rules, failed, [result({ subtype: 'turn_limit', apiErrorStatus: 500 })])).toBe('max_turns');
    expect(classifyExit(rules, failed, [result({ subtype: 'spent', text: 'please log in' })])).toBe('budget');
  });

  it('reads the status before the text: a 429 that talks about logging in is a rate limit', () => {
    expect(classifyExit(rules, failed, [result({ apiErrorStatus: 429, text: 'log in for more' })])).toBe('rate_limited');
    expect(classifyExit(rules, failed, [result({ apiErrorStatus: 403, text: 'try again' })])).toBe('auth');
    expect(classifyExit(rules, failed, [result({ apiErrorStatus: 408 })])).toBe('transient');
    expect(classifyExit(rules, failed, [result({ apiErrorStatus: 400, text: 'bad request' })])).toBe('fatal');
  });

  it('tries the patterns auth, rate_limited, transient, over the messages and the lines that were not JSON', () => {
    expect(classifyExit(rules, failed, [result({ errors: ['slow down, then try again'] })])).toBe('rate_limited');
    expect(classifyExit(rules, failed, [{ kind: 'raw', text: 'Please log in' }, result({})])).toBe('auth');
  });

  it("counts the last words only where the agent's rules say so, and falls back on the last retry", () => {
    const lastWords: AgentEvent[] = [{ kind: 'text', text: 'the server said: try again' }];
    expect(classifyExit(rules, killed, lastWords)).toBe('fatal');
    expect(classifyExit({ ...rules, lastWords: true }, killed, lastWords)).toBe('transient');
    expect(classifyExit(rules, killed, [{ kind: 'retry', attempt: 1, delayMs: 0, status: 429 }])).toBe('rate_limited');
    expect(classifyExit(rules, killed, [{ kind: 'retry', attempt: 1, delayMs: 0, status: 401 }])).toBe('auth');
    expect(classifyExit(rules, killed, [{ kind: 'retry', attempt: 1, delayMs: 0, status: null }])).toBe('transient');
  });

  it('lets the exit code decide first for a CLI that reports failures only as error lines', () => {
    const exitFirst = { ...rules, exitCodeFirst: true };
    expect(classifyExit(exitFirst, { exitCode: 0, signal: null }, [])).toBe('ok');
    expect(classifyExit(exitFirst, { exitCode: 2, signal: null }, [result({ subtype: 'spent' })])).toBe('fatal');
    expect(classifyExit(exitFirst, { exitCode: 0, signal: null }, [result({ subtype: 'spent' })])).toBe('budget');
    expect(classifyExit(exitFirst, killed, [])).toBe('fatal');
  });
});
