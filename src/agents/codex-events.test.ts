// `codex exec --json` lines as printed by 0.169.0 (docs/agents/codex.md), read as AgentEvents.
import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../domain/agent-events.ts';
import { parseCodexLine, statusInMessage, unwrapShell } from './codex-events.ts';
import { codexPrices, estimateCostUsd, priceOf } from './codex-prices.ts';

const gpt55 = priceOf('gpt-5.5');
const parse = (line: unknown): unknown => parseCodexLine(typeof line === 'string' ? line : JSON.stringify(line), gpt55);

describe('parseCodexLine', () => {
  it('reads the thread id, messages and tool items', () => {
    expect(parse({ type: 'thread.started', thread_id: '01a1fcb2-7a20-7533-b799-8af51b9fb311' })).toEqual([{ kind: 'session', sessionId: '01a1fcb2-7a20-7533-b799-8af51b9fb311' }]);
    expect(parse({ type: 'turn.started' })).toEqual([]);
    expect(parse({ type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text: 'Writing.' } })).toEqual([{ kind: 'text', text: 'Writing.' }]);
    const change = { id: 'item_1', type: 'file_change', changes: [{ path: '/w/hello.txt', kind: 'add' }, { path: '/w/a.js', kind: 'update' }] };
    expect(parse({ type: 'item.started', item: { ...change, status: 'in_progress' } })).toEqual([{ kind: 'tool_use', tool: 'file_change', summary: 'add /w/hello.txt, update /w/a.js' }]);
    expect(parse({ type: 'item.completed', item: { ...change, status: 'failed' } })).toEqual([{ kind: 'tool_result', isError: true, summary: 'add /w/hello.txt, update /w/a.js' }]);
    const command = { id: 'item_2', type: 'command_execution', command: "/bin/bash -lc 'cat hello.txt; echo hi > b.txt'" };
    expect(parse({ type: 'item.started', item: { ...command, aggregated_output: '', exit_code: null, status: 'in_progress' } })).toEqual([
      { kind: 'tool_use', tool: 'command_execution', summary: 'cat hello.txt; echo hi > b.txt' },
    ]);
    expect(parse({ type: 'item.completed', item: { ...command, aggregated_output: 'hello\n', exit_code: 0, status: 'completed' } })).toEqual([{ kind: 'tool_result', isError: false, summary: 'hello' }]);
    expect(parse({ type: 'item.completed', item: { ...command, aggregated_output: 'nope\n', exit_code: 1, status: 'failed' } })).toEqual([{ kind: 'tool_result', isError: true, summary: 'nope' }]);
    // Warnings come as error items; they are not the run's failure.
    expect(parse({ type: 'item.completed', item: { id: 'item_0', type: 'error', message: 'Model metadata for `x` not found.' } })).toEqual([]);
  });

  it('makes turn.completed a result: tokens split into uncached and cached, cost estimated', () => {
    const usage = { input_tokens: 300, cached_input_tokens: 30, cache_write_input_tokens: 0, output_tokens: 60, reasoning_output_tokens: 15 };
    expect(parse({ type: 'turn.completed', usage })).toEqual([
      {
        kind: 'result',
        isError: false,
        subtype: 'success',
        turns: 1,
        costUsd: (270 * 5 + 30 * 0.5 + 60 * 30) / 1e6,
        usage: { inputTokens: 270, cacheReadTokens: 30, cacheWriteTokens: 0, outputTokens: 60 },
        sessionId: null,
        durationMs: 0,
        permissionDenials: [],
        apiErrorStatus: null,
        errors: [],
        text: '',
      },
    ]);
  });

  it('makes turn.failed an error result with the status named in the message; Reconnecting lines are retries', () => {
    const message = 'unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:1/v1/responses';
    expect(parse({ type: 'error', message })).toEqual([]);
    expect(parse({ type: 'turn.failed', error: { message } })).toEqual([
      expect.objectContaining({ kind: 'result', isError: true, subtype: 'turn_failed', apiErrorStatus: 401, errors: [message], text: message, usage: emptyUsage, costUsd: 0 }),
    ]);
    expect(parse({ type: 'error', message: `Reconnecting... 2/5 (${message})` })).toEqual([{ kind: 'retry', attempt: 2, delayMs: 0, status: 401 }]);
    expect(parse({ type: 'error', message: 'Reconnecting... waiting for network (Connection failed: error sending request)' })).toEqual([
      { kind: 'retry', attempt: 0, delayMs: 0, status: null },
    ]);
  });

  it('keeps unreadable lines as raw and ignores blank ones', () => {
    expect(parse('WARNING: proceeding, even though we could not create PATH aliases')).toEqual([{ kind: 'raw', text: 'WARNING: proceeding, even though we could not create PATH aliases' }]);
    expect(parse('[1,2]')).toEqual([{ kind: 'raw', text: '[1,2]' }]);
    expect(parse('  ')).toEqual([]);
  });
});

describe('Codex message helpers', () => {
  it('unwraps the login shell Codex runs commands in', () => {
    expect(unwrapShell("/bin/bash -lc 'npm test'")).toBe('npm test');
    expect(unwrapShell(`/bin/bash -lc "cat -- '/etc/hostname' \\"\\$HOME\\""`)).toBe(`cat -- '/etc/hostname' "$HOME"`);
    expect(unwrapShell('git status')).toBe('git status');
  });

  it('finds the HTTP status in Codex error messages', () => {
    expect(statusInMessage('exceeded retry limit, last status: 429 Too Many Requests')).toBe(429);
    expect(statusInMessage('unexpected status 503 Service Unavailable: x')).toBe(503);
    expect(statusInMessage('We’re currently experiencing high demand, which may cause temporary errors.')).toBeNull();
  });

  it('prices unknown models as gpt-5.5 and lets the user override', () => {
    expect(priceOf(undefined)).toEqual(codexPrices['gpt-5.5']);
    expect(priceOf('o-something-new')).toEqual(codexPrices['gpt-5.5']);
    expect(priceOf('gpt-5.4-mini')).toEqual({ input: 0.75, cachedInput: 0.075, output: 4.5 });
    const mine = { input: 1, cachedInput: 0.1, output: 2 };
    expect(priceOf('my-model', { 'my-model': mine })).toEqual(mine);
    expect(estimateCostUsd({ inputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 0, outputTokens: 1_000_000 }, mine)).toBeCloseTo(3.1, 9);
  });
});
