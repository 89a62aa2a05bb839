import { describe, expect, it } from 'vitest';
import { classifyOpenCodeExit } from './opencode.ts';
import { createOpenCodeParser } from './opencode-events.ts';

const line = (value: Record<string, unknown>): string => JSON.stringify({ timestamp: 1_000, sessionID: 'ses_a', ...value });
const finish = (reason: string, tokens: Record<string, unknown>, cost: number, timestamp = 1_500): string =>
  line({ type: 'step_finish', timestamp, part: { type: 'step-finish', reason, tokens, cost } });

describe('OpenCode json lines', () => {
  it('gives the session once, adds up the steps, and synthesizes the result at the last one', () => {
    const parse = createOpenCodeParser();
    expect(parse(line({ type: 'step_start', part: { type: 'step-start' } }))).toEqual([{ kind: 'session', sessionId: 'ses_a' }]);
    expect(parse(line({ type: 'text', part: { type: 'text', text: 'Looking.' } }))).toEqual([{ kind: 'text', text: 'Looking.' }]);
    expect(parse(finish('tool-calls', { input: 100, output: 20, reasoning: 5, cache: { read: 1000, write: 50 } }, 0.25))).toEqual([]);
    parse(line({ type: 'text', part: { type: 'text', text: 'Done.' } }));
    const [result] = parse(finish('stop', { input: 10, output: 2, reasoning: 0, cache: { read: 0, write: 0 } }, 0.5, 3_000));
    expect(result).toEqual({
      kind: 'result',
      isError: false,
      subtype: 'stop',
      turns: 2,
      costUsd: 0.75,
      usage: { inputTokens: 110, outputTokens: 27, cacheReadTokens: 1000, cacheWriteTokens: 50 },
      sessionId: 'ses_a',
      durationMs: 2_000,
      permissionDenials: [],
      apiErrorStatus: null,
      errors: [],
      text: 'Done.',
    });
  });

  it('reads a finished tool call as a use and a result; a non-zero exit is an error', () => {
    const parse = createOpenCodeParser();
    const events = parse(
      line({ type: 'tool_use', part: { type: 'tool', tool: 'bash', state: { status: 'completed', input: { command: 'false' }, output: '(no output)', metadata: { exit: 1 } } } }),
    );
    expect(events).toEqual([
      { kind: 'session', sessionId: 'ses_a' },
      { kind: 'tool_use', tool: 'bash', summary: 'false' },
      { kind: 'tool_result', isError: true, summary: '(no output)' },
    ]);
    expect(parse(line({ type: 'tool_use', part: { type: 'tool', tool: 'write', state: { status: 'error', input: { filePath: '/w/a' }, error: 'denied' } } }))).toEqual([
      { kind: 'tool_use', tool: 'write', summary: '/w/a' },
      { kind: 'tool_result', isError: true, summary: 'denied' },
    ]);
  });

  it('ends a failed run with an error result that keeps the usage so far', () => {
    const parse = createOpenCodeParser();
    parse(finish('tool-calls', { input: 100, output: 20, reasoning: 0, cache: { read: 0, write: 0 } }, 0.1));
    const events = parse(line({ type: 'error', error: { name: 'APIError', data: { message: 'Overloaded', statusCode: 529, isRetryable: true } } }));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'result', isError: true, subtype: 'APIError', apiErrorStatus: 529, costUsd: 0.1, errors: ['APIError: Overloaded'], text: 'Overloaded' }),
    ]);
    expect(classifyOpenCodeExit({ exitCode: 1, signal: null }, events)).toBe('transient');
    const auth = createOpenCodeParser()(line({ type: 'error', error: { name: 'ProviderAuthError', data: { providerID: 'x', message: 'API key is missing.' } } }));
    expect(classifyOpenCodeExit({ exitCode: 1, signal: null }, auth)).toBe('auth');
    // No result at all (killed, or stopped by a rejected permission) is no success.
    expect(classifyOpenCodeExit({ exitCode: 0, signal: null }, [])).toBe('fatal');
  });
});
