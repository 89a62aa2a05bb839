import { describe, expect, it } from 'vitest';
import { createGeminiParser, geminiCostOf, geminiUsageOf, statusInGeminiMessage } from './gemini-events.ts';
import { geminiPriceOf } from './gemini-prices.ts';

const line = (value: unknown): string => JSON.stringify(value);

describe('Gemini CLI stream-json lines', () => {
  it('joins streamed text deltas into one text event per message, and gives the last to the result', () => {
    const parse = createGeminiParser();
    expect(parse(line({ type: 'init', session_id: 's-1', model: 'auto' }))).toEqual([{ kind: 'session', sessionId: 's-1', model: 'auto' }]);
    expect(parse(line({ type: 'message', role: 'user', content: 'do it' }))).toEqual([]);
    expect(parse(line({ type: 'message', role: 'assistant', content: 'Hel', delta: true }))).toEqual([]);
    expect(parse(line({ type: 'message', role: 'assistant', content: 'lo.', delta: true }))).toEqual([]);
    expect(parse(line({ type: 'tool_use', tool_name: 'run_shell_command', tool_id: 't1', parameters: { command: 'ls' } }))).toEqual([
      { kind: 'text', text: 'Hello.' },
      { kind: 'tool_use', tool: 'run_shell_command', summary: 'ls' },
    ]);
    expect(parse(line({ type: 'tool_result', tool_id: 't1', status: 'error', error: { type: 'x', message: 'denied' } }))).toEqual([{ kind: 'tool_result', isError: true, summary: 'denied' }]);
    parse(line({ type: 'message', role: 'assistant', content: '{"ok":', delta: true }));
    parse(line({ type: 'message', role: 'assistant', content: 'true}', delta: true }));
    const [text, result] = parse(line({ type: 'result', status: 'success', stats: { input_tokens: 10, input: 10, output_tokens: 2, total_tokens: 12, cached: 0, duration_ms: 40 } }));
    expect(text).toEqual({ kind: 'text', text: '{"ok":true}' });
    expect(result).toMatchObject({ kind: 'result', isError: false, subtype: 'success', sessionId: 's-1', durationMs: 40, text: '{"ok":true}' });
  });

  it('reads a failed result: the message, its status, and the error lines before it', () => {
    const parse = createGeminiParser();
    parse(line({ type: 'init', session_id: 's-2' }));
    parse(line({ type: 'error', severity: 'warning', message: 'Loop detected' }));
    const [result] = parse(line({ type: 'result', status: 'error', error: { type: 'unknown', message: '[API Error: {"error":{"code":401,"message":"no"}}]' }, stats: {} }));
    expect(result).toMatchObject({ isError: true, subtype: 'unknown', apiErrorStatus: 401, errors: ['[API Error: {"error":{"code":401,"message":"no"}}]', 'warning: Loop detected'] });
    expect(parse('not json')).toEqual([{ kind: 'raw', text: 'not json' }]);
    // A new run on the same parser starts afresh.
    parse(line({ type: 'init', session_id: 's-3' }));
    expect(parse(line({ type: 'result', status: 'success', stats: {} }))[0]).toMatchObject({ sessionId: 's-3', errors: [], text: '' });
  });

  it('counts thinking tokens (in total_tokens only) as output, and prices each model apart', () => {
    expect(geminiUsageOf({ input_tokens: 1000, input: 600, cached: 400, output_tokens: 50, total_tokens: 1300 })).toEqual({
      inputTokens: 600,
      cacheReadTokens: 400,
      outputTokens: 300,
      cacheWriteTokens: 0,
    });
    const stats = {
      models: {
        'gemini-3.5-flash-lite': { input_tokens: 1_000_000, input: 1_000_000, cached: 0, output_tokens: 0, total_tokens: 1_000_000 },
        'gemini-3.1-pro-preview': { input_tokens: 1_000_000, input: 1_000_000, cached: 0, output_tokens: 0, total_tokens: 1_000_000 },
      },
    };
    // flash-lite at Gemini 2.5 Flash-Lite's $0.10, pro at Gemini 3 Pro's $2.
    expect(geminiCostOf(stats)).toBeCloseTo(2.1, 9);
    expect(geminiCostOf(stats, { 'gemini-3.1-pro-preview': { input: 1, cachedInput: 0, output: 0 } })).toBeCloseTo(1.1, 9);
    expect(geminiPriceOf('something-else')).toEqual(geminiPriceOf('gemini-3-pro-preview'));
  });

  it('finds the status a failed request quotes', () => {
    expect(statusInGeminiMessage('[API Error: {"error":{"code":403,"message":"x","status":"PERMISSION_DENIED"}}]')).toBe(403);
    expect(statusInGeminiMessage('[API Error: Resource exhausted]')).toBeNull();
  });
});
