// Parsing and classification on lines recorded from Claude Code 2.1.329 (trimmed), and argv building.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentSpec } from './adapter.ts';
import { buildClaudeInvocation, classifyClaudeExit } from './claude.ts';
import { createClaudeParser, isClaudeStreamDetail, parseClaudeLine } from './claude-events.ts';

const line = (value: unknown): string => JSON.stringify(value);

const resultLine = {
  type: 'result',
  subtype: 'success',
  is_error: false,
  num_turns: 1,
  result: 'second answer',
  session_id: 'cfbb8498-b9ab-46ae-afcb-8c711cf5967f',
  duration_ms: 305,
  total_cost_usd: 0.0024,
  usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 3, cache_creation_input_tokens: 4 },
  modelUsage: { 'claude-opus-5-5': { costUSD: 0.0024 } },
  model_usage_since_last_result: { 'claude-opus-5-5': { costUSD: 0.0008 } },
  permission_denials: [{ tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'echo hi > b.txt' } }],
  api_error_status: null,
  terminal_reason: 'completed',
};

describe('parseClaudeLine', () => {
  it('keeps what it cannot read as raw and skips blank lines', () => {
    expect(parseClaudeLine('')).toEqual([]);
    expect(parseClaudeLine('Error: something odd')).toEqual([{ kind: 'raw', text: 'Error: something odd' }]);
    expect(parseClaudeLine('[1,2]')).toEqual([{ kind: 'raw', text: '[1,2]' }]);
    expect(parseClaudeLine(line({ type: 'stream_event', event: {} }))).toEqual([]);
  });

  it('reads init, retries, assistant blocks and tool results', () => {
    expect(parseClaudeLine(line({ type: 'system', subtype: 'init', session_id: 's-1', model: 'claude-opus-5-5', cwd: '/w' }))).toEqual([
      { kind: 'session', sessionId: 's-1', model: 'claude-opus-5-5' },
    ]);
    expect(
      parseClaudeLine(line({ type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 3, retry_delay_ms: 1131, error_status: 529, error: 'overloaded' })),
    ).toEqual([{ kind: 'retry', attempt: 2, delayMs: 1131, status: 529 }]);
    const assistant = (block: unknown): string => line({ type: 'assistant', message: { id: 'msg_1', content: [block] }, session_id: 's-1' });
    expect(parseClaudeLine(assistant({ type: 'text', text: 'Fixing.' }))).toEqual([{ kind: 'text', text: 'Fixing.' }]);
    expect(parseClaudeLine(assistant({ type: 'tool_use', id: 't', name: 'Bash', input: { command: 'npm  test\n', description: 'run' } }))).toEqual([
      { kind: 'tool_use', tool: 'Bash', summary: 'npm test' },
    ]);
    expect(parseClaudeLine(assistant({ type: 'thinking', thinking: '…' }))).toEqual([]);
    const user = line({
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'FAIL 1 test' }], is_error: true }] },
    });
    expect(parseClaudeLine(user)).toEqual([{ kind: 'tool_result', isError: true, summary: 'FAIL 1 test' }]);
  });

  it("reads a result, counting this invocation's cost rather than the resumed session's total", () => {
    expect(parseClaudeLine(line(resultLine))).toEqual([
      {
        kind: 'result',
        isError: false,
        subtype: 'success',
        turns: 1,
        costUsd: 0.0008,
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 3, cacheWriteTokens: 4 },
        sessionId: 'cfbb8498-b9ab-46ae-afcb-8c711cf5967f',
        durationMs: 305,
        permissionDenials: ['Bash(echo hi > b.txt)'],
        apiErrorStatus: null,
        errors: [],
        text: 'second answer',
      },
    ]);
    const { model_usage_since_last_result: _since, ...older } = resultLine;
    expect(parseClaudeLine(line(older))[0]).toMatchObject({ costUsd: 0.0024 });
  });

  it('keeps the API error type and connection failures among the errors', () => {
    const [event] = parseClaudeLine(
      line({ ...resultLine, is_error: true, api_error_status: null, api_error: 'connection_failed', errors: ['boom'], result: 'API Error: Connection dropped (ECONNRESET).' }),
    );
    expect(event).toMatchObject({ kind: 'result', isError: true, errors: ['boom', 'api_error: connection_failed'] });
  });
});

describe('classifyClaudeExit', () => {
  const result = (fields: Partial<Extract<AgentEvent, { kind: 'result' }>>): AgentEvent => ({
    kind: 'result',
    isError: true,
    subtype: 'success',
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

  it('needs both exit 0 and a result that is not an error for ok', () => {
    expect(classifyClaudeExit({ exitCode: 0, signal: null }, [result({ isError: false })])).toBe('ok');
    expect(classifyClaudeExit(failed, [result({ isError: false })])).toBe('fatal');
    // SIGINT makes the CLI exit 0 with no result line.
    expect(classifyClaudeExit({ exitCode: 0, signal: null }, [{ kind: 'session', sessionId: 's' }])).toBe('fatal');
  });

  it('reads subtypes, statuses and messages', () => {
    expect(classifyClaudeExit(failed, [result({ subtype: 'error_max_turns' })])).toBe('max_turns');
    expect(classifyClaudeExit(failed, [result({ subtype: 'error_max_budget_usd' })])).toBe('budget');
    expect(classifyClaudeExit(failed, [result({ apiErrorStatus: 429 })])).toBe('rate_limited');
    expect(classifyClaudeExit(failed, [result({ text: 'Not logged in · Please run /login' })])).toBe('auth');
    expect(classifyClaudeExit(failed, [result({ apiErrorStatus: 529 })])).toBe('transient');
    expect(classifyClaudeExit(failed, [result({ errors: ['api_error: connection_failed'] })])).toBe('transient');
    expect(classifyClaudeExit(failed, [result({ apiErrorStatus: 400, text: 'API Error: 400 bad request' })])).toBe('fatal');
  });

  it('falls back on the last retry when the CLI was killed while retrying', () => {
    const killed = { exitCode: null, signal: 'SIGTERM' };
    expect(classifyClaudeExit(killed, [{ kind: 'retry', attempt: 1, delayMs: 500, status: 429 }])).toBe('rate_limited');
    expect(classifyClaudeExit(killed, [{ kind: 'retry', attempt: 1, delayMs: 500, status: null }])).toBe('transient');
    expect(classifyClaudeExit(killed, [{ kind: 'text', text: 'Working on it.' }])).toBe('fatal');
  });
});

describe('turns priced as Claude Code answers them', () => {
  // As 2.1.329 prints them with --include-partial-messages (trimmed): a message's start, one assistant line per
  // content block (repeating the start's usage), the end with the output count.
  const start = (id: string, model: string, usage: Record<string, number>) =>
    line({ type: 'stream_event', event: { type: 'message_start', message: { id, model, content: [], usage: { ...usage, output_tokens: 1 } } }, api_message_id: id });
  const assistantBlock = (id: string, model: string, usage: Record<string, number>) =>
    line({ type: 'assistant', message: { id, model, content: [{ type: 'text', text: 'hi' }], usage: { ...usage, output_tokens: 1 } } });
  const end = (id: string, output: number) =>
    line({ type: 'stream_event', event: { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: output } }, api_message_id: id });

  it('gives each request its usage so far, at the price the CLI itself charges', () => {
    const parse = createClaudeParser();
    const input = { input_tokens: 100_000, cache_read_input_tokens: 100_000, cache_creation_input_tokens: 100_000 };
    expect(parse(start('msg_1', 'claude-opus-5-5', input))).toEqual([
      // Measured from the CLI: $4 / M input, $0.2 / M cache reads, $5 / M cache writes, $20 / M output.
      { kind: 'turn', messageId: 'msg_1', model: 'claude-opus-5-5', usage: { inputTokens: 100_000, cacheReadTokens: 100_000, cacheWriteTokens: 100_000, outputTokens: 1 }, costUsd: (expect.closeTo(0.4 + 0.02 + 0.5 + 0.00002, 9) as unknown) },
    ]);
    expect(parse(assistantBlock('msg_1', 'claude-opus-5-5', input))[0]).toMatchObject({ kind: 'turn', messageId: 'msg_1', usage: { outputTokens: 1 } });
    expect(parse(end('msg_1', 100_000))).toEqual([
      { kind: 'turn', messageId: 'msg_1', model: 'claude-opus-5-5', usage: { inputTokens: 100_000, cacheReadTokens: 100_000, cacheWriteTokens: 100_000, outputTokens: 100_000 }, costUsd: (expect.closeTo(0.92 + 2, 9) as unknown) },
    ]);
  });

  it("prices each model at its own rate, a dated name by its prefix, an unknown one by its family, and the user's table first", () => {
    const tokens = { input_tokens: 1_000_000 };
    const cost = (model: string, prices = {}) => (createClaudeParser(prices)(start('m', model, tokens))[0] as { costUsd: number }).costUsd;
    expect(cost('claude-sonnet-4-5')).toBeCloseTo(3 + 0.000015, 9);
    expect(cost('claude-sonnet-4-5-20250929')).toBeCloseTo(3 + 0.000015, 9);
    expect(cost('claude-haiku-9')).toBeCloseTo(0.1 + 0.0000005, 9);
    expect(cost('some-new-model')).toBeCloseTo(15 + 0.000075, 9);
    expect(cost('mine', { mine: { input: 1, cachedInput: 0, output: 0 } })).toBeCloseTo(1, 9);
  });

  it("counts no turn for the CLI's synthetic stand-in of a failed request, and keeps streamed text out of the log", () => {
    expect(createClaudeParser()(assistantBlock('x', '<synthetic>', { input_tokens: 0 }))).toEqual([{ kind: 'text', text: 'hi' }]);
    const delta = line({ type: 'stream_event', event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'h' } } });
    expect(isClaudeStreamDetail(delta)).toBe(true);
    expect(isClaudeStreamDetail(end('msg_1', 5))).toBe(false);
    expect(isClaudeStreamDetail(assistantBlock('msg_1', 'claude-opus-5-5', {}))).toBe(false);
  });
});

describe('buildClaudeInvocation', () => {
  const spec: AgentSpec = { prompt: 'Fix it.', cwd: '/w', stateDir: '/state', env: { ANTHROPIC_API_KEY: 'k', CLAUDE_CODE_MAX_RETRIES: '5' } };

  it('builds argv with the prompt last, after --, and an isolated environment', () => {
    const invocation = buildClaudeInvocation({ ...spec, model: 'sonnet', maxBudgetUsd: 1.5, resumeSessionId: 's-1' }, { binary: '/bin/claude', maxTurns: 30 });
    expect(invocation.argv).toEqual([
      '/bin/claude',
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-partial-messages',
      '--model',
      'sonnet',
      '--max-turns',
      '30',
      '--max-budget-usd',
      '1.5',
      '--resume',
      's-1',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools',
      'Bash,Write,Edit,NotebookEdit,Read,Grep,Glob',
      '--',
      'Fix it.',
    ]);
    expect(invocation.stdin).toBeUndefined();
    expect(invocation.env).toEqual({
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: '5', // the spec's env wins
      TMPDIR: '/state/tmp',
      CLAUDE_CONFIG_DIR: '/state/config',
      ANTHROPIC_API_KEY: 'k',
    });
  });

  it('limits a read-only agent to reading tools, and can leave the config dir alone', () => {
    const invocation = buildClaudeInvocation({ ...spec, readOnly: true }, { isolateConfig: false });
    expect(invocation.argv.slice(6)).toEqual(['--tools', 'Read,Grep,Glob', '--allowedTools', 'Read,Grep,Glob', '--', 'Fix it.']);
    expect(invocation.argv[0]).toBe('claude');
    expect(invocation.env['CLAUDE_CONFIG_DIR']).toBeUndefined();
    expect(invocation.env['CLAUDE_CODE_MAX_RETRIES']).toBe('5');
  });
});
