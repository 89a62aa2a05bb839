// The coordinator's side of the Executor seam: what an executor reports lands in the store, and the stops the
// coordinator decides (budget, cancel) reach the executor as the reason of its signal, the first one winning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../../test/helpers/git-fixture.ts';
import { CanceledError } from '../../domain/errors.ts';
import type { AttemptResult } from '../../executor/contract.ts';
import { openRepository } from '../../git/index.ts';
import { Store } from '../../store/store.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { RunBudget, type BudgetLimits } from '../core/budget.ts';
import { CredentialPools } from '../core/credential-pools.ts';
import type { AttemptScope } from '../core/deps.ts';

const temp = useTempRepos();

async function setup(limits: BudgetLimits = {}) {
  const repo = await temp.repo();
  const head = await repo.git(['rev-parse', 'HEAD']);
  const store = new Store(':memory:');
  store.runs.create({ id: 'run_a', projectPath: repo.root, goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: head, target: 'main', settings: {} }, 1);
  const logPath = join(repo.dir, 'logs', 'att_a.jsonl');
  const attempt = store.attempts.create({ id: 'att_a', runId: 'run_a', taskKey: 'main', stepKey: 'attempt/0', n: 1, agent: 'command', model: null, branch: 'orch/run_a/main/1', worktree: join(repo.dir, 'wt'), baseSha: head, logPath });
  const run = new AbortController();
  const scope: AttemptScope = {
    deps: { store, credentials: new CredentialPools({}) },
    repo: await openRepository(repo.root),
    agentEnv: {},
    settings: { copyFiles: [] },
    runId: 'run_a',
    signal: run.signal,
    budget: new RunBudget(limits, 0),
  };
  const result: AttemptResult = { status: 'succeeded', reason: 'completed', detail: null, headSha: head, diff: { filesChanged: 0, insertions: 0, deletions: 0, files: [] }, gitChanges: [], usage: usage(0.1), sessionId: 's-1' };
  return { store, run, scope, logPath, result, recorder: new AttemptRecorder(scope, attempt) };
}

const usage = (costUsd: number) => ({ turns: 1, inputTokens: 10, outputTokens: 5, costUsd });

describe('AttemptRecorder', () => {
  it('records the process, the session, the usage, the output and the result', async () => {
    const { store, recorder, logPath, result } = await setup();
    recorder.emit({ type: 'worktree', path: '/w', branch: 'orch/run_a/main/1' });
    recorder.emit({ type: 'spawned', pid: 4242, pidStart: '77' });
    expect(store.attempts.get('att_a')).toMatchObject({ status: 'running', pid: 4242 });
    recorder.emit({ type: 'session', sessionId: 's-1' });
    recorder.emit({ type: 'usage', live: false, usage: usage(0.1) });
    recorder.emit({ type: 'output', t: 1, stream: 'stdout', line: 'hello' });
    recorder.emit({ type: 'escape', tool: 'Bash', path: '/etc/passwd' });
    recorder.emit({ type: 'tampered', changes: [{ path: 'hooks/pre-commit', change: 'added' }], alongside: [] });
    const finished = await recorder.finish({ ...result, gitChanges: [{ path: 'hooks/pre-commit', change: 'added' }] });

    expect(finished).toMatchObject({ status: 'succeeded', reason: 'completed', sessionId: 's-1', turns: 1, costUsd: 0.1, headSha: result.headSha, pid: null });
    expect(readFileSync(logPath, 'utf8')).toBe(`${JSON.stringify({ t: 1, s: 'stdout', line: 'hello' })}\n`);
    expect(store.events.since('run_a').map((e) => e.type)).toEqual(['run.started', 'attempt.created', 'attempt.worktree', 'attempt.started', 'attempt.usage', 'attempt.usage', 'attempt.escape', 'attempt.tampered', 'attempt.finished']);
    // What the executor found goes onto the attempt with orch's own look at the change.
    expect(finished.security).toMatchObject({ tampered: true, gitChanges: [{ path: 'hooks/pre-commit', change: 'added' }], escapes: [{ tool: 'Bash', path: '/etc/passwd' }] });
    expect(recorder.signal.aborted).toBe(false);
  });

  it('stops the attempt with reason budget when it passes its own limit', async () => {
    const { recorder } = await setup({ attemptUsd: 1 });
    recorder.emit({ type: 'usage', live: false, usage: usage(0.5) });
    expect(recorder.signal.aborted).toBe(false);
    recorder.emit({ type: 'usage', live: false, usage: usage(1.5) });
    expect(recorder.signal.reason).toEqual({ cause: 'budget', detail: 'stopped: the budget was used up' });
  });

  it("stops the attempt that spends the run's budget, with reason budget", async () => {
    const { recorder } = await setup({ runUsd: 1 });
    recorder.emit({ type: 'usage', live: true, usage: usage(0.5) });
    expect(recorder.signal.aborted).toBe(false);
    recorder.emit({ type: 'usage', live: true, usage: usage(1.5) });
    expect(recorder.signal.reason).toEqual({ cause: 'budget', detail: 'stopped: the budget was used up' });
  });

  it("refuses a retry once the run's budget is spent", async () => {
    const { recorder, scope } = await setup({ runUsd: 1 });
    scope.budget.addCall(1.5); // a review spent it
    recorder.emit({ type: 'retry', reason: 'transient', delayMs: 0, afterCredential: 'login' });
    expect(recorder.signal.reason).toMatchObject({ cause: 'budget' });
  });

  it('keeps the first stop: a cancel, then a budget passed, is still a cancel', async () => {
    const { recorder, run, store, result } = await setup({ attemptUsd: 1 });
    run.abort(new CanceledError());
    recorder.emit({ type: 'usage', live: false, usage: usage(5) });
    expect(recorder.signal.reason).toEqual({ cause: 'canceled', detail: 'the run was canceled' });
    // An attempt stopped before its agent started is recorded as ended, without a log, and never as started: no
    // agent ran (an `attempt.started` would print "agent running (pid null)").
    const ended = await recorder.finish({ ...result, status: 'canceled', reason: 'canceled', detail: 'the run was canceled' });
    expect(ended).toMatchObject({ status: 'canceled', reason: 'canceled' });
    const types = store.events.since('run_a').map((e) => e.type);
    expect(types).toContain('attempt.finished');
    expect(types).not.toContain('attempt.started');
  });
});
