// The Claude Code adapter against the REAL claude binary, its model scripted by the testkit server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useAgentCli, type Workspace } from '../../test/helpers/agent-cli.ts';
import type { AgentEvent } from '../domain/agent-events.ts';
import { startScriptedAnthropicServer, type ScriptedAnthropicServer, type ScriptTurnInput } from '../testkit/index.ts';
import type { AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import { guard } from '../../test/helpers/slack.ts';
import { createClaudeAdapter } from './claude.ts';

const binary = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));
const adapter = createClaudeAdapter({ binary, maxRetries: 0 });
const { cleanups, workspace, serve } = useAgentCli('claude', startScriptedAnthropicServer);

interface Run {
  exit: AgentExit;
  events: AgentEvent[];
  lines: string[];
  stderr: string;
  ms: number;
}

/** Inherited environment without the developer's own credentials, so only the invocation's env counts. */
function baseEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_') && key !== 'CLAUDE_CODE_OAUTH_TOKEN' && key !== 'CLAUDE_CONFIG_DIR'),
  );
}

async function runAgent(invocation: AgentInvocation, cwd: string): Promise<Run> {
  const env = { ...baseEnv(), ...invocation.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const [program, ...args] = invocation.argv;
  const started = Date.now();
  const child = spawn(program ?? '', args, { cwd, env, stdio: [invocation.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (invocation.stdin !== undefined) child.stdin?.end(invocation.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), guard(30_000));
  const exit = await new Promise<AgentExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  clearTimeout(timer);
  const lines = stdout.split('\n').filter((line) => line !== '');
  return { exit, events: lines.flatMap((line) => adapter.parse(line)), lines, stderr, ms: Date.now() - started };
}

function spec(space: Workspace, server: ScriptedAnthropicServer | null, overrides: Partial<AgentSpec> = {}): AgentSpec {
  const env: Record<string, string> = server === null ? {} : { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'sk-orch-test' };
  return { prompt: 'Do the task.', cwd: space.cwd, stateDir: space.stateDir, env, ...overrides };
}

async function runSpec(agentSpec: AgentSpec): Promise<Run> {
  return runAgent(adapter.buildInvocation(agentSpec), agentSpec.cwd);
}

function resultOf(run: Run): Extract<AgentEvent, { kind: 'result' }> {
  const result = run.events.findLast((event) => event.kind === 'result');
  if (result === undefined) throw new Error(`no result event; stderr: ${run.stderr}\nstdout: ${run.lines.join('\n')}`);
  return result;
}

describe.skipIf(!existsSync(binary))('Claude Code adapter, real CLI', () => {
  it('writes a file and reports session, turns, tokens and cost', async () => {
    const space = workspace();
    const server = await serve([
      { text: 'Writing the greeting.', tool: 'Write', input: { file_path: '{{cwd}}/hello.txt', content: 'hello, world\n' } },
      { text: 'Wrote hello.txt.' },
    ]);
    const run = await runSpec(spec(space, server));

    expect(readFileSync(join(space.cwd, 'hello.txt'), 'utf8')).toBe('hello, world\n');
    expect(run.exit).toEqual({ exitCode: 0, signal: null });
    expect(run.events.filter((event) => event.kind === 'raw')).toEqual([]);
    const session = run.events.find((event) => event.kind === 'session');
    expect(session?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.events.filter((event) => event.kind !== 'session' && event.kind !== 'result' && event.kind !== 'turn')).toEqual([
      { kind: 'text', text: 'Writing the greeting.' },
      { kind: 'tool_use', tool: 'Write', summary: join(space.cwd, 'hello.txt') },
      { kind: 'tool_result', isError: false, summary: expect.stringContaining('File created successfully') as unknown },
      { kind: 'text', text: 'Wrote hello.txt.' },
    ]);
    const result = resultOf(run);
    expect(result).toMatchObject({
      isError: false,
      subtype: 'success',
      turns: 2,
      sessionId: session?.sessionId,
      usage: { inputTokens: 200, outputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0 },
      permissionDenials: [],
      apiErrorStatus: null,
      text: 'Wrote hello.txt.',
    });
    expect(result.costUsd).toBeGreaterThan(0);
    // Each turn was priced as it came, and orch's figures add up to the CLI's own.
    const turns = new Map(run.events.flatMap((event) => (event.kind === 'turn' ? [[event.messageId, event] as const] : [])));
    expect(turns.size).toBe(2);
    expect([...turns.values()].reduce((sum, turn) => sum + turn.costUsd, 0)).toBeCloseTo(result.costUsd, 9);
    expect([...turns.values()].reduce((sum, turn) => sum + turn.usage.outputTokens, 0)).toBe(40);
    expect(adapter.classify(run.exit, run.events)).toBe('ok');
    expect(server.requests).toBe(2);
    expect(server.requestLog.map((request) => request.cwd)).toEqual([space.cwd, space.cwd]);
  });

  // CLAUDE_CODE_MAX_RETRIES=0, yet the CLI repeats some requests on its own: after a cut stream it asks once more
  // without streaming; after a 400 it tries again with fewer beta headers (6 requests with 2.1.329).
  it.each([
    { name: '429', turn: { error: { status: 429, retryAfter: 1 } }, expected: 'rate_limited', status: 429, requests: 1 },
    { name: '401', turn: { error: { status: 401 } }, expected: 'auth', status: 401, requests: 1 },
    { name: '403', turn: { error: { status: 403 } }, expected: 'auth', status: 403, requests: 1 },
    { name: '529', turn: { error: { status: 529 } }, expected: 'transient', status: 529, requests: 1 },
    { name: '500', turn: { error: { status: 500 } }, expected: 'transient', status: 500, requests: 1 },
    { name: 'cut stream', turn: { cut: true }, expected: 'transient', status: null, requests: 2 },
    { name: '400', turn: { error: { status: 400, message: 'bad request' } }, expected: 'fatal', status: 400, requests: null },
  ] satisfies { name: string; turn: ScriptTurnInput; expected: string; status: number | null; requests: number | null }[])(
    'classifies an API $name as $expected',
    async ({ turn, expected, status, requests }) => {
      const space = workspace();
      const server = await serve([turn]);
      const run = await runSpec(spec(space, server));
      expect(run.exit.exitCode).toBe(1);
      expect(resultOf(run)).toMatchObject({ isError: true, apiErrorStatus: status });
      expect(adapter.classify(run.exit, run.events)).toBe(expected);
      if (requests !== null) expect(server.requests).toBe(requests);
    },
  );

  it('reports the CLI retries as retry events', async () => {
    const space = workspace();
    const server = await serve([{ error: { status: 529 }, times: 1 }, { text: 'back' }]);
    const retrying = createClaudeAdapter({ binary, maxRetries: 1 });
    const agentSpec = spec(space, server);
    const run = await runAgent(retrying.buildInvocation(agentSpec), agentSpec.cwd);
    expect(run.events.filter((event) => event.kind === 'retry')).toEqual([{ kind: 'retry', attempt: 1, delayMs: expect.any(Number) as unknown, status: 529 }]);
    expect(retrying.classify(run.exit, run.events)).toBe('ok');
    expect(server.requests).toBe(2);
  });

  it('classifies no credentials as auth ("Not logged in") without calling the server', async () => {
    const space = workspace();
    const server = await serve([{ text: 'unreachable' }]);
    const run = await runSpec(spec(space, null, { env: { ANTHROPIC_BASE_URL: server.url } }));
    expect(resultOf(run)).toMatchObject({ isError: true, text: expect.stringContaining('Not logged in') as unknown });
    expect(adapter.classify(run.exit, run.events)).toBe('auth');
    expect(server.requests).toBe(0);
  });

  it('stops at --max-turns', async () => {
    const space = workspace();
    const server = await serve([
      { tool: 'Bash', input: { command: 'echo one' } },
      { tool: 'Bash', input: { command: 'echo two' } },
      { text: 'never reached' },
    ]);
    const run = await runSpec(spec(space, server, { maxTurns: 1 }));
    expect(resultOf(run)).toMatchObject({ isError: true, subtype: 'error_max_turns' });
    expect(adapter.classify(run.exit, run.events)).toBe('max_turns');
    expect(server.requests).toBe(1);
  });

  it('stops at --max-budget-usd once the reported usage costs more', async () => {
    const space = workspace();
    const server = await serve([
      { tool: 'Bash', input: { command: 'echo one' }, usage: { input_tokens: 1_000_000, output_tokens: 1_000 } },
      { text: 'never reached' },
    ]);
    const run = await runSpec(spec(space, server, { maxBudgetUsd: 0.5 }));
    const result = resultOf(run);
    expect(result).toMatchObject({ isError: true, subtype: 'error_max_budget_usd' });
    expect(result.costUsd).toBeGreaterThan(0.5);
    expect(adapter.classify(run.exit, run.events)).toBe('budget');
    expect(server.requests).toBe(1);
  });

  it('resumes a session with a new prompt, even one that starts with a dash', async () => {
    const space = workspace();
    const server = await serve([{ text: 'first answer' }, { text: 'second answer' }]);
    const first = await runSpec(spec(space, server, { prompt: 'First prompt.' }));
    const sessionId = resultOf(first).sessionId;
    expect(sessionId).not.toBeNull();

    const dashPrompt = '-r --version is a prompt, not options';
    const second = await runSpec(spec(space, server, { prompt: dashPrompt, resumeSessionId: sessionId ?? '' }));
    const result = resultOf(second);
    expect(result).toMatchObject({ isError: false, sessionId, text: 'second answer', turns: 1 });
    // Cost is this invocation's own, not the session's running total.
    expect(result.costUsd).toBeCloseTo(resultOf(first).costUsd, 6);
    expect(adapter.classify(second.exit, second.events)).toBe('ok');

    const resumed = server.requestLog.at(-1);
    expect(resumed?.turn).toBe(1);
    const sent = JSON.stringify(resumed?.body);
    for (const text of ['First prompt.', 'first answer', dashPrompt]) expect(sent).toContain(JSON.stringify(text).slice(1, -1));
  });

  it('sends a prompt too long for argv through stdin', async () => {
    const space = workspace();
    const server = await serve([{ text: 'read it all' }]);
    const prompt = `Start. ${'word '.repeat(40_000)}End.`;
    const invocation = adapter.buildInvocation(spec(space, server, { prompt }));
    expect(invocation.stdin).toBe(prompt);
    const run = await runAgent(invocation, space.cwd);
    expect(adapter.classify(run.exit, run.events)).toBe('ok');
    expect(JSON.stringify(server.requestLog[0]?.body)).toContain(prompt);
  });

  it('runs parallel agents on one server, each following the script matched by its cwd', async () => {
    const [bad, good] = [workspace(), workspace()];
    const fix = (content: string): ScriptTurnInput[] => [{ tool: 'Write', input: { file_path: '{{cwd}}/fix.txt', content } }, { text: 'Fixed.' }];
    const server = await startScriptedAnthropicServer({
      scripts: [
        { name: 'bad', match: { cwd: bad.cwd }, turns: fix('bad fix\n') },
        { name: 'good', match: { cwd: good.cwd }, turns: fix('good fix\n') },
      ],
    });
    cleanups.push(() => server.close());
    const runs = await Promise.all([runSpec(spec(bad, server)), runSpec(spec(good, server))]);
    expect(runs.map((run) => adapter.classify(run.exit, run.events))).toEqual(['ok', 'ok']);
    expect(readFileSync(join(bad.cwd, 'fix.txt'), 'utf8')).toBe('bad fix\n');
    expect(readFileSync(join(good.cwd, 'fix.txt'), 'utf8')).toBe('good fix\n');
    expect(server.requestLog.filter((request) => request.script === 'good')).toHaveLength(2);
  });

  it('keeps a read-only agent from writing', async () => {
    const space = workspace();
    const server = await serve([
      { tool: 'Write', input: { file_path: '{{cwd}}/nope.txt', content: 'x' } },
      { tool: 'Bash', input: { command: 'touch nope2.txt' } },
      { tool: 'Read', input: { file_path: '{{cwd}}' } },
      { text: 'reviewed' },
    ]);
    const run = await runSpec(spec(space, server, { readOnly: true }));
    expect(existsSync(join(space.cwd, 'nope.txt'))).toBe(false);
    expect(existsSync(join(space.cwd, 'nope2.txt'))).toBe(false);
    const results = run.events.filter((event) => event.kind === 'tool_result');
    expect(results.slice(0, 2).map((event) => event.isError)).toEqual([true, true]);
    expect(adapter.classify(run.exit, run.events)).toBe('ok');
  });
});
