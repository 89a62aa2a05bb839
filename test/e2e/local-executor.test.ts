// An attempt run through the Executor seam alone: LocalExecutor, a recording sink, a spec that crossed JSON — no
// store, no engine, no run. What the sink hears and what comes back is all a coordinator (or a queue) would get.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClaudeAdapter } from '../../src/agents/claude.ts';
import { createCommandAdapter } from '../../src/agents/command.ts';
import { CredentialPool, loginCredential } from '../../src/agents/credentials.ts';
import type { AgentAdapter } from '../../src/agents/adapter.ts';
import type { AttemptEvent, AttemptSink, AttemptSpec, StopRequest } from '../../src/executor/contract.ts';
import { LocalExecutor } from '../../src/executor/local-executor.ts';
import { openRepository } from '../../src/git/index.ts';
import { isAlive } from '../../src/process/registry.ts';
import { useTempRepos, type TempRepo } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { repoRoot } from '../helpers/orch-cli.ts';
import { claudeBinary, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const fakeAgent = join(repoRoot, 'test/fixtures/fake-agent.mjs');

/** Remembers every event; `react` plays the coordinator's part (it may abort the attempt). */
function recordingSink(react: (event: AttemptEvent) => void = () => {}): AttemptSink & { events: AttemptEvent[] } {
  const events: AttemptEvent[] = [];
  return {
    events,
    emit(event) {
      events.push(event);
      react(event);
    },
  };
}

const ofType = <T extends AttemptEvent['type']>(events: AttemptEvent[], type: T) => events.filter((e): e is Extract<AttemptEvent, { type: T }> => e.type === type);

function executorFor(adapter: AgentAdapter, home: string): LocalExecutor {
  return new LocalExecutor({
    adapterFor: () => adapter,
    credentials: { pool: (agent) => new CredentialPool(agent, [loginCredential]) },
    agentStateDir: (agent) => join(home, 'agents', agent),
  });
}

/** The spec as a worker on another machine would get it: through JSON. */
async function specFor(repo: TempRepo, home: string, fields: Partial<AttemptSpec> = {}): Promise<AttemptSpec> {
  const { root, gitDir, commonDir } = await openRepository(repo.root);
  const base = await repo.git(['rev-parse', 'HEAD']);
  const spec: AttemptSpec = {
    runId: 'run_seam',
    attemptId: 'att_seam',
    agent: 'command',
    model: null,
    repo: { root, gitDir, commonDir },
    worktree: join(home, 'worktrees', 'att_seam'),
    branch: 'orch/run_seam/main/1',
    baseSha: base,
    startSha: base,
    reuseWorktree: false,
    prompt: 'fix add',
    resumeSessionId: null,
    continuePrompt: 'go on',
    copyFiles: [],
    commitMessage: 'orch: fix add',
    before: { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, sessionId: null },
    limits: { maxTurns: null, attemptUsd: null, totalTimeoutMs: guard(120_000), idleTimeoutMs: 60_000, retries: { delaysMs: [], cooldownMs: 1000, maxRateLimitWaitMs: 1000, stuck: 0 } },
    env: {},
    mcp: null,
    // orch's own sandbox is proved by the escape battery (sandbox-escape.test.ts); here the seam alone.
    sandbox: { mode: 'none', orchHome: home, kind: 'agent', network: 'host', allowHosts: [], maxProcesses: 0 },
    ...fields,
  };
  return JSON.parse(JSON.stringify(spec)) as AttemptSpec;
}

const commandAgent = (plan: Record<string, unknown>) => createCommandAdapter({ argv: [process.execPath, fakeAgent], promptVia: 'argv', env: { FAKE_AGENT: JSON.stringify(plan) } });

describe('LocalExecutor through the seam, with a recording sink and no store', () => {
  it('runs Claude Code and reports the worktree, the process, the session, the usage and the result', async () => {
    const server = await serve({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'done' }] });
    const repo = await temp.repo({ files: mathProject });
    const home = await temp.dir();
    const spec = await specFor(repo, home, { agent: 'claude', env: claudeEnv(server, join(home, 'claude-config')) });
    const sink = recordingSink();
    const adapter = createClaudeAdapter({ binary: claudeBinary, maxRetries: 0, isolateConfig: false });

    const result = await executorFor(adapter, home).runAttempt(spec, sink, new AbortController().signal);

    expect(result).toMatchObject({ status: 'succeeded', reason: 'completed', detail: null });
    expect(result.diff.files.map((f) => f.path)).toEqual(['src/math.js']);
    // The work is committed on the attempt's branch, and the head it reports is that commit.
    expect(await repo.git(['rev-parse', spec.branch])).toBe(result.headSha);
    expect(await repo.git(['show', `${spec.branch}:src/math.js`])).toBe(goodMath.trimEnd());

    const { events } = sink;
    expect(events[0]).toEqual({ type: 'worktree', path: spec.worktree, branch: spec.branch });
    expect(ofType(events, 'spawned')).toHaveLength(1);
    const sessions = ofType(events, 'session').map((e) => e.sessionId);
    expect(sessions.length).toBeGreaterThan(0);
    expect(result.sessionId).toBe(sessions.at(-1));
    const usage = ofType(events, 'usage').at(-1)?.usage;
    expect(usage).toEqual(result.usage);
    expect(result.usage.turns).toBeGreaterThan(0);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(ofType(events, 'activity').some((e) => e.data['kind'] === 'tool' && e.data['tool'] === 'Write')).toBe(true);
    expect(ofType(events, 'output').some((e) => e.stream === 'stdout')).toBe(true);
    // The key it was given never comes back in a line of output.
    expect(ofType(events, 'output').some((e) => e.line.includes('test-key'))).toBe(false);
    expect(ofType(events, 'retry')).toEqual([]);
  });

  it('stops when the coordinator aborts the signal: the reason given is the reason recorded, the agent is gone', async () => {
    const repo = await temp.repo();
    const home = await temp.dir();
    const controller = new AbortController();
    const cancel: StopRequest = { cause: 'canceled', detail: 'the run was canceled' };
    const sink = recordingSink((event) => {
      if (event.type === 'spawned') controller.abort(cancel);
    });

    const result = await executorFor(commandAgent({ hang: true }), home).runAttempt(await specFor(repo, home), sink, controller.signal);

    expect(result).toMatchObject({ status: 'canceled', reason: 'canceled', detail: 'the run was canceled' });
    const [spawned] = ofType(sink.events, 'spawned');
    expect(spawned?.pid).toEqual(expect.any(Number));
    expect(isAlive(spawned?.pid ?? 0)).toBe(false);
    expect(ofType(sink.events, 'retry')).toEqual([]);
  });

  it('retries a stuck agent, reporting the retry, then fails stuck', async () => {
    const repo = await temp.repo();
    const home = await temp.dir();
    const spec = await specFor(repo, home, {
      limits: { maxTurns: null, attemptUsd: null, totalTimeoutMs: guard(120_000), idleTimeoutMs: 300, retries: { delaysMs: [], cooldownMs: 1000, maxRateLimitWaitMs: 1000, stuck: 1 } },
    });
    const sink = recordingSink();

    const result = await executorFor(commandAgent({ hang: true }), home).runAttempt(spec, sink, new AbortController().signal);

    expect(result).toMatchObject({ status: 'failed', reason: 'stuck', detail: 'no output from the agent within the idle limit' });
    expect(ofType(sink.events, 'spawned')).toHaveLength(2);
    expect(ofType(sink.events, 'retry')).toEqual([{ type: 'retry', reason: 'stuck', delayMs: 0, afterCredential: 'login' }]);
  });

  it('takes no retry the coordinator refuses while recording it (a spent budget)', async () => {
    const repo = await temp.repo();
    const home = await temp.dir();
    const spec = await specFor(repo, home, {
      limits: { maxTurns: null, attemptUsd: null, totalTimeoutMs: guard(120_000), idleTimeoutMs: 300, retries: { delaysMs: [], cooldownMs: 1000, maxRateLimitWaitMs: 1000, stuck: 1 } },
    });
    const controller = new AbortController();
    const sink = recordingSink((event) => {
      if (event.type === 'retry') controller.abort({ cause: 'budget', detail: 'no money left' } satisfies StopRequest);
    });

    const result = await executorFor(commandAgent({ hang: true }), home).runAttempt(spec, sink, controller.signal);

    expect(result).toMatchObject({ status: 'failed', reason: 'budget', detail: 'no money left' });
    expect(ofType(sink.events, 'spawned')).toHaveLength(1);
  });

  it('commits what the agent wrote, and calls an attempt that changed nothing no_changes', async () => {
    const repo = await temp.repo();
    const home = await temp.dir();
    const wrote = await executorFor(commandAgent({ files: { 'notes.txt': 'hello\n' } }), home).runAttempt(await specFor(repo, home), recordingSink(), new AbortController().signal);
    expect(wrote).toMatchObject({ status: 'succeeded', reason: 'completed' });
    expect(await repo.git(['show', `${wrote.headSha}:notes.txt`])).toBe('hello');

    const idle = await specFor(repo, home, { attemptId: 'att_idle', worktree: join(home, 'worktrees', 'att_idle'), branch: 'orch/run_seam/main/2' });
    const nothing = await executorFor(commandAgent({}), home).runAttempt(idle, recordingSink(), new AbortController().signal);
    expect(nothing).toMatchObject({ status: 'failed', reason: 'no_changes', detail: 'the agent finished without changing any file' });
    expect(nothing.diff.filesChanged).toBe(0);
  });
});
