// The coordinator's side of the Executor seam: what an executor reports lands in the store, and the stops the
// coordinator decides (budget, cancel) reach the executor as the reason of its signal, the first one winning.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CanceledError } from '../domain/errors.ts';
import type { AttemptResult } from '../executor/contract.ts';
import { Store } from '../store/store.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { RunBudget, type BudgetLimits } from './budget.ts';
import type { RunScope } from './deps.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(limits: BudgetLimits = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'orch-recorder-'));
  dirs.push(dir);
  const store = new Store(':memory:');
  store.runs.create({ id: 'run_a', projectPath: dir, goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 1);
  const logPath = join(dir, 'logs', 'att_a.jsonl');
  const attempt = store.attempts.create({ id: 'att_a', runId: 'run_a', taskKey: 'main', stepKey: 'attempt/0', n: 1, agent: 'command', model: null, branch: 'orch/run_a/main/1', worktree: join(dir, 'wt'), baseSha: 'a'.repeat(40), logPath });
  const run = new AbortController();
  // Only what the recorder uses of a run's scope.
  const scope = { deps: { store }, runId: 'run_a', signal: run.signal, budget: new RunBudget(limits, 0) } as unknown as RunScope;
  return { store, run, logPath, recorder: new AttemptRecorder(scope, attempt) };
}

const usage = (costUsd: number) => ({ turns: 1, inputTokens: 10, outputTokens: 5, costUsd });
const result: AttemptResult = { status: 'succeeded', reason: 'completed', detail: null, headSha: 'b'.repeat(40), diff: { filesChanged: 1, insertions: 1, deletions: 0, files: [{ path: 'x', insertions: 1, deletions: 0 }] }, usage: usage(0.1), sessionId: 's-1' };

describe('AttemptRecorder', () => {
  it('records the process, the session, the usage, the output and the result', async () => {
    const { store, recorder, logPath } = setup();
    recorder.emit({ type: 'worktree', path: '/w', branch: 'orch/run_a/main/1' });
    recorder.emit({ type: 'spawned', pid: 4242, pidStart: '77' });
    expect(store.attempts.get('att_a')).toMatchObject({ status: 'running', pid: 4242 });
    recorder.emit({ type: 'session', sessionId: 's-1' });
    recorder.emit({ type: 'usage', usage: usage(0.1) });
    recorder.emit({ type: 'output', t: 1, stream: 'stdout', line: 'hello' });
    const finished = await recorder.finish(result);

    expect(finished).toMatchObject({ status: 'succeeded', reason: 'completed', sessionId: 's-1', turns: 1, costUsd: 0.1, headSha: 'b'.repeat(40), pid: null });
    expect(readFileSync(logPath, 'utf8')).toBe(`${JSON.stringify({ t: 1, s: 'stdout', line: 'hello' })}\n`);
    expect(store.events.since('run_a').map((e) => e.type)).toEqual(['run.started', 'attempt.created', 'attempt.worktree', 'attempt.started', 'attempt.usage', 'attempt.usage', 'attempt.finished']);
    expect(recorder.signal.aborted).toBe(false);
  });

  it('stops the attempt with reason budget when it passes its own limit', () => {
    const { recorder } = setup({ attemptUsd: 1 });
    recorder.emit({ type: 'usage', usage: usage(0.5) });
    expect(recorder.signal.aborted).toBe(false);
    recorder.emit({ type: 'usage', usage: usage(1.5) });
    expect(recorder.signal.reason).toEqual({ cause: 'budget', detail: 'stopped: the budget was used up' });
  });

  it("refuses a retry once the run's budget is spent", () => {
    const { recorder } = setup({ runUsd: 1 });
    recorder.emit({ type: 'usage', usage: usage(1.5) });
    // Its own spending does not stop a running attempt: it may finish what it does.
    expect(recorder.signal.aborted).toBe(false);
    recorder.emit({ type: 'retry', reason: 'transient', delayMs: 0, afterCredential: 'login' });
    expect(recorder.signal.reason).toEqual({ cause: 'budget', detail: "the run's budget is used up; the attempt was not retried" });
  });

  it('keeps the first stop: a cancel, then a budget passed, is still a cancel', async () => {
    const { recorder, run, store } = setup({ attemptUsd: 1 });
    run.abort(new CanceledError());
    recorder.emit({ type: 'usage', usage: usage(5) });
    expect(recorder.signal.reason).toEqual({ cause: 'canceled', detail: 'the run was canceled' });
    // An attempt stopped before its agent started is recorded as started and ended, without a log.
    const ended = await recorder.finish({ ...result, status: 'canceled', reason: 'canceled', detail: 'the run was canceled' });
    expect(ended).toMatchObject({ status: 'canceled', reason: 'canceled' });
    expect(store.events.since('run_a').map((e) => e.type)).toContain('attempt.started');
  });
});
