// The Codex adapter against the REAL codex binary, its model scripted by the testkit's OpenAI server on 127.0.0.1.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resultOf, runCli, useAgentCli, type Run, type Workspace } from '../../test/helpers/agent-cli.ts';
import { startScriptedOpenAIServer, writeCodexHome, type CodexHomeOptions, type ScriptedOpenAIServer, type ScriptTurnInput } from '../testkit/index.ts';
import type { AgentSpec } from './adapter.ts';
import { configSchema } from '../domain/config.ts';
import { AgentSetupError } from '../domain/errors.ts';
import { createCodexAdapter } from './codex.ts';
import { assertAgentCredentials, createAgentAdapter } from './registry.ts';

const binary = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
const adapter = createCodexAdapter({ binary });
const { cleanups, workspace, serve } = useAgentCli('codex', startScriptedOpenAIServer);

/** A spec whose CODEX_HOME, of its own, points Codex at the server. */
function spec(space: Workspace, server: ScriptedOpenAIServer, overrides: Partial<AgentSpec> = {}, home: Partial<CodexHomeOptions> = {}): AgentSpec {
  const { env } = writeCodexHome(join(space.root, 'codex-home'), { baseUrl: server.url, ...home });
  return { prompt: 'Do the task.', cwd: space.cwd, stateDir: space.stateDir, env, ...overrides };
}

const run = (agentSpec: AgentSpec, runAdapter = adapter): Promise<Run> => runCli(runAdapter, agentSpec);

describe.skipIf(!existsSync(binary))('Codex adapter, real CLI', () => {
  it('writes a file, runs a command, and reports thread, tokens and an estimated cost', async () => {
    const space = workspace();
    const server = await serve([
      { text: 'Writing the greeting.', tool: 'Write', input: { file_path: '{{cwd}}/hello.txt', content: 'hello, world\n' } },
      { tool: 'Bash', input: { command: 'cat hello.txt' }, usage: { input_tokens: 1000, output_tokens: 50, cache_read_input_tokens: 4000 } },
      { text: 'Wrote hello.txt.' },
    ]);
    const agentRun = await run(spec(space, server));

    expect(readFileSync(join(space.cwd, 'hello.txt'), 'utf8')).toBe('hello, world\n');
    expect(agentRun.process.exitCode).toBe(0);
    expect(agentRun.events.filter((event) => event.kind === 'raw')).toEqual([]);
    const session = agentRun.events.find((event) => event.kind === 'session');
    expect(session?.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(agentRun.events.filter((event) => event.kind !== 'session' && event.kind !== 'result')).toEqual([
      { kind: 'text', text: 'Writing the greeting.' },
      { kind: 'tool_use', tool: 'file_change', summary: `add ${join(space.cwd, 'hello.txt')}` },
      { kind: 'tool_result', isError: false, summary: `add ${join(space.cwd, 'hello.txt')}` },
      { kind: 'tool_use', tool: 'command_execution', summary: 'cat hello.txt' },
      { kind: 'tool_result', isError: false, summary: expect.stringContaining('hello, world') as unknown },
      { kind: 'text', text: 'Wrote hello.txt.' },
    ]);
    const result = resultOf(agentRun);
    // Three requests: 100 + 1000 + 100 uncached input, 4000 cached, 20 + 50 + 20 output (testkit default usage 100/20).
    expect(result).toMatchObject({ isError: false, subtype: 'success', turns: 1, apiErrorStatus: null, usage: { inputTokens: 1200, cacheReadTokens: 4000, cacheWriteTokens: 0, outputTokens: 90 } });
    // gpt-5.5: $5 in, $0.50 cached, $30 out per million.
    expect(result.costUsd).toBeCloseTo((1200 * 5 + 4000 * 0.5 + 90 * 30) / 1e6, 9);
    expect(agentRun.finalText).toBe('Wrote hello.txt.');
    expect(agentRun.classification).toBe('ok');
    expect(server.requests).toBe(3);
    expect(server.requestLog.map((request) => [request.turn, request.cwd, request.sessionId])).toEqual([0, 1, 2].map((turn) => [turn, space.cwd, session?.sessionId]));
  });

  // maxRetries 0 in the CODEX_HOME: Codex asks once. With its defaults it retries 5xx, 401 and cut streams (up to
  // 5 times, ~7 s), but not 429.
  it.each([
    { name: '429', turn: { error: { status: 429, retryAfter: 1 } }, expected: 'rate_limited', status: 429 },
    { name: '429 insufficient_quota', turn: { error: { status: 429, type: 'insufficient_quota' } }, expected: 'rate_limited', status: null },
    { name: '401', turn: { error: { status: 401 } }, expected: 'auth', status: 401 },
    { name: '403', turn: { error: { status: 403 } }, expected: 'auth', status: 403 },
    { name: '500', turn: { error: { status: 500 } }, expected: 'transient', status: null },
    { name: '503', turn: { error: { status: 503 } }, expected: 'transient', status: 503 },
    { name: 'cut stream', turn: { cut: true }, expected: 'transient', status: null },
    { name: '400', turn: { error: { status: 400, message: 'bad request' } }, expected: 'fatal', status: null },
  ] satisfies { name: string; turn: ScriptTurnInput; expected: string; status: number | null }[])('classifies an API $name as $expected', async ({ turn, expected, status }) => {
    const space = workspace();
    const server = await serve([turn]);
    const agentRun = await run(spec(space, server));
    expect(agentRun.process.exitCode).toBe(1);
    expect(resultOf(agentRun)).toMatchObject({ isError: true, subtype: 'turn_failed', apiErrorStatus: status, costUsd: 0 });
    expect(agentRun.classification).toBe(expected);
    expect(server.requests).toBe(1);
  });

  // Codex retries a 5xx quietly (request_max_retries); a cut stream or a 401 it retries out loud, as an `error` line
  // "Reconnecting... n/m (why)" (stream_max_retries).
  it('reports Codex retries as retry events', async () => {
    const space = workspace();
    const server = await serve([{ error: { status: 401 }, times: 1 }, { text: 'back' }]);
    const agentRun = await run(spec(space, server, {}, { maxRetries: 1 }));
    expect(agentRun.events.filter((event) => event.kind === 'retry')).toEqual([{ kind: 'retry', attempt: 1, delayMs: 0, status: 401 }]);
    expect(agentRun.classification).toBe('ok');
    expect(server.requests).toBe(2);
  });

  it('classifies a missing key as auth without calling the server', async () => {
    const space = workspace();
    const server = await serve([{ text: 'unreachable' }]);
    const agentRun = await run(spec(space, server, {}, { apiKey: null }));
    expect(resultOf(agentRun).text).toContain('Missing environment variable: `ORCH_SCRIPTED_API_KEY`');
    expect(agentRun.classification).toBe('auth');
    expect(server.requests).toBe(0);
  });

  it('resumes a thread with a new prompt, even one that starts with a dash', async () => {
    const space = workspace();
    const server = await serve([{ text: 'first answer' }, { text: 'second answer' }]);
    const first = await run(spec(space, server, { prompt: 'First prompt.' }));
    const threadId = first.events.find((event) => event.kind === 'session')?.sessionId;
    expect(threadId).toBeDefined();

    const dashPrompt = '--version is a prompt, not an option';
    const second = await run(spec(space, server, { prompt: dashPrompt, resumeSessionId: threadId }));
    expect(second.classification).toBe('ok');
    expect(second.events.find((event) => event.kind === 'session')?.sessionId).toBe(threadId);
    expect(second.finalText).toBe('second answer');
    // Codex's usage is the thread's running total: both invocations' 100 in / 20 out.
    expect(resultOf(second).usage).toMatchObject({ inputTokens: 200, outputTokens: 40 });

    const resumed = server.requestLog.at(-1);
    expect(resumed?.turn).toBe(1);
    expect(resumed?.sessionId).toBe(threadId);
    const sent = JSON.stringify(resumed?.body);
    for (const text of ['First prompt.', 'first answer', dashPrompt]) expect(sent).toContain(text);
  });

  it('sends a prompt too long for argv through stdin', async () => {
    const space = workspace();
    const server = await serve([{ text: 'read it all' }]);
    const prompt = `Start. ${'word '.repeat(40_000)}End.`;
    const agentSpec = spec(space, server, { prompt });
    expect(adapter.buildInvocation(agentSpec).stdin).toBe(prompt);
    const agentRun = await run(agentSpec);
    expect(agentRun.classification).toBe('ok');
    expect(JSON.stringify(server.requestLog[0]?.body)).toContain(prompt);
  });

  it('writes through exec_command with a model Codex does not know (no apply_patch offered)', async () => {
    const space = workspace();
    const server = await serve([{ tool: 'Write', input: { file_path: 'sub/it.txt', content: "it's here\n" } }, { text: 'ok' }]);
    const agentRun = await run(spec(space, server, { model: 'orch-scripted-model' }));
    expect(readFileSync(join(space.cwd, 'sub', 'it.txt'), 'utf8')).toBe("it's here\n");
    expect(agentRun.classification).toBe('ok');
    expect(server.requestLog[0]?.body).toMatchObject({ model: 'orch-scripted-model' });
  });

  it('runs parallel agents on one server, each following the script matched by its cwd', async () => {
    const [bad, good] = [workspace(), workspace()];
    const fix = (content: string): ScriptTurnInput[] => [{ tool: 'Write', input: { file_path: '{{cwd}}/fix.txt', content } }, { text: 'Fixed.' }];
    const server = await startScriptedOpenAIServer({
      scripts: [
        { name: 'bad', match: { cwd: bad.cwd }, turns: fix('bad fix\n') },
        { name: 'good', match: { cwd: good.cwd }, turns: fix('good fix\n') },
      ],
    });
    cleanups.push(() => server.close());
    const runs = await Promise.all([run(spec(bad, server)), run(spec(good, server))]);
    expect(runs.map((agentRun) => agentRun.classification)).toEqual(['ok', 'ok']);
    expect(readFileSync(join(bad.cwd, 'fix.txt'), 'utf8')).toBe('bad fix\n');
    expect(readFileSync(join(good.cwd, 'fix.txt'), 'utf8')).toBe('good fix\n');
    expect(server.requestLog.filter((request) => request.script === 'good')).toHaveLength(2);
  });

  it('keeps a read-only agent from writing', async () => {
    const space = workspace();
    const server = await serve([
      { tool: 'Write', input: { file_path: '{{cwd}}/nope.txt', content: 'x' } },
      { tool: 'Bash', input: { command: 'touch nope2.txt' } },
      { tool: 'Read', input: { file_path: '/etc/hostname' } },
      { text: 'reviewed' },
    ]);
    const agentRun = await run(spec(space, server, { readOnly: true }));
    expect(existsSync(join(space.cwd, 'nope.txt'))).toBe(false);
    expect(existsSync(join(space.cwd, 'nope2.txt'))).toBe(false);
    // A refused patch leaves no item at all. The sandboxed `touch` runs and fails inside (its output reaches the model),
    // but Codex 0.169 sometimes prints no item for it: only the read is certain to show.
    const shown = agentRun.events.filter((event) => event.kind !== 'session' && event.kind !== 'result');
    expect(shown.slice(-3)).toEqual([
      { kind: 'tool_use', tool: 'command_execution', summary: "cat -- '/etc/hostname'" },
      { kind: 'tool_result', isError: false, summary: expect.any(String) as unknown },
      { kind: 'text', text: 'reviewed' },
    ]);
    expect(JSON.stringify(server.requestLog.at(-2)?.body)).toContain('Read-only file system');
    expect(JSON.stringify(server.requestLog.at(-1)?.body)).toContain('patch rejected: writing is blocked by read-only sandbox');
    expect(agentRun.classification).toBe('ok');
  });
});

describe('Codex adapter, invocation and preflight', () => {
  const base: AgentSpec = { prompt: '-rf is a prompt', cwd: '/w', stateDir: '/s', env: { CODEX_HOME: '/h' } };

  it('builds argv with the prompt after --, resume after the options, read-only as a sandbox', () => {
    const withEnv = createCodexAdapter({ binary: 'codex', env: { FROM_CONFIG: '1', CODEX_HOME: '/config-home' } });
    expect(withEnv.buildInvocation({ ...base, model: 'gpt-5.4' })).toEqual({
      argv: ['codex', 'exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--model', 'gpt-5.4', '--', '-rf is a prompt'],
      env: { FROM_CONFIG: '1', CODEX_HOME: '/h' },
    });
    expect(withEnv.buildInvocation({ ...base, readOnly: true, resumeSessionId: 'thread-1' }).argv).toEqual([
      'codex', 'exec', '--json', '--skip-git-repo-check', '--sandbox', 'read-only', '--config', 'approval_policy="never"', 'resume', 'thread-1', '--', '-rf is a prompt',
    ]);
    // No CODEX_HOME anywhere: none is set, so Codex uses the user's own ~/.codex.
    expect(createCodexAdapter().buildInvocation({ ...base, env: {} }).env).toEqual({});
  });

  it('comes from the registry with the config binary, env and prices', () => {
    const config = configSchema.parse({ agent: 'codex', model: 'gpt-5.4-mini', agents: { codex: { binary: '/opt/codex', env: { A: 'b' } } } });
    const codex = createAgentAdapter('codex', config);
    expect(codex.name).toBe('codex');
    expect(codex.supportsResume).toBe(true);
    expect(codex.buildInvocation({ ...base, env: {} })).toMatchObject({ argv: expect.arrayContaining(['/opt/codex']) as unknown, env: { A: 'b' } });
    const [result] = codex.parse(JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 1_000_000, cached_input_tokens: 0, output_tokens: 0 } }));
    expect(result).toMatchObject({ kind: 'result', costUsd: 0.75 }); // priced as the configured model
  });

  it('fails the credentials preflight only when nothing can authenticate', () => {
    const home = mkdtempSync(join(tmpdir(), 'orch-codex-auth-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const config = configSchema.parse({ agent: 'codex' });
    const check = (env: NodeJS.ProcessEnv): void => assertAgentCredentials('codex', config, { CODEX_HOME: home, ...env });
    expect(() => check({})).toThrow(AgentSetupError);
    expect(() => check({ OPENAI_API_KEY: 'sk-x' })).toThrow(/OPENAI_API_KEY is set, but Codex does not read it/);
    expect(() => check({ CODEX_API_KEY: 'sk-x' })).not.toThrow();
    writeFileSync(join(home, 'config.toml'), 'model_provider = "openai"\n');
    expect(() => check({})).toThrow(AgentSetupError);
    writeFileSync(join(home, 'config.toml'), 'model_provider = "azure"\n');
    expect(() => check({})).not.toThrow();
    rmSync(join(home, 'config.toml'));
    writeFileSync(join(home, 'auth.json'), '{}');
    expect(() => check({})).not.toThrow();
  });
});
