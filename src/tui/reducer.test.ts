import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { cells } from './columns.ts';
import { reduce, reduceAll } from './reducer.ts';
import { initialState, isOver, isPlanRun, logLimit, runCostUsd } from './state.ts';

let seq = 0;
const t0 = Date.parse('2030-01-01T00:00:00.000Z');
function ev(type: string, data: Record<string, unknown> = {}, attemptId: string | null = null, atMs = t0 + seq * 1000, runId = 'run_a'): OrchEvent {
  seq++;
  return { seq, runId, attemptId, type, data, at: new Date(atMs).toISOString() };
}

function bestOfTwo(): OrchEvent[] {
  seq = 0;
  return [
    ev('run.started', { goal: 'fix the date test\nwith details', strategy: 'best-of-n', target: 'main' }),
    ev('attempt.created', { n: 1, agent: 'claude', model: 'opus', branch: 'orch/run_a/main/1', taskKey: 'main' }, 'att_1'),
    ev('attempt.created', { n: 2, agent: 'codex', model: null, branch: 'orch/run_a/main/2', taskKey: 'main' }, 'att_2'),
    ev('attempt.started', { pid: 11 }, 'att_1'),
    ev('attempt.activity', { kind: 'tool', tool: 'Edit', summary: 'src/date.js' }, 'att_1'),
    ev('attempt.activity', { kind: 'text', text: 'Fixed it.\nAll tests pass.' }, 'att_1'),
    ev('attempt.activity', { kind: 'result', isError: false, turns: 4, costUsd: 0.12 }, 'att_1'),
    ev('attempt.finished', { status: 'succeeded', reason: 'completed', detail: null, diff: { filesChanged: 1, insertions: 3, deletions: 1, files: [] }, costUsd: 0.125 }, 'att_1'),
    ev('attempt.started', { pid: 12 }, 'att_2'),
    ev('attempt.finished', { status: 'failed', reason: 'agent_error', detail: 'exit 1', diff: null, costUsd: 0.05 }, 'att_2'),
    ev('verdict.recorded', { passed: true, checks: [{ name: 'test', passed: true }], review: { score: 8, pass: true }, reviewError: null }, 'att_1'),
    ev('agent_call.recorded', { kind: 'review', status: 'reviewed', turns: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.01 }, 'att_1'),
    ev('selection.made', { winner: 'att_1', ranking: ['att_1', 'att_2'], reason: 'att_1 won: it passes the checks' }, 'att_1'),
    ev('merge.recorded', { status: 'merged', target: 'main', message: 'Merged into main at abc' }, 'att_1'),
    ev('run.succeeded', { reason: 'att_1 won. Merged into main at abc' }),
  ];
}

describe('the dashboard reducer', () => {
  it('builds a run from its events: attempts, verdicts, winner, merge and the end', () => {
    const state = reduceAll(initialState, bestOfTwo());
    expect(state).toMatchObject({ runId: 'run_a', strategy: 'best-of-n', target: 'main', status: 'succeeded', winner: 'att_1', lastSeq: 15 });
    expect(state.goal.startsWith('fix the date test')).toBe(true);
    expect(state.merge).toEqual({ status: 'merged', message: 'Merged into main at abc', attemptId: 'att_1' });
    expect(isOver(state)).toBe(true);
    expect(state.finishedAt).toBe(t0 + 14_000);
    const [first, second] = state.attempts;
    expect(first).toMatchObject({ n: 1, agent: 'claude', model: 'opus', status: 'succeeded', turns: 4, costUsd: 0.125, startedAt: t0 + 3000, finishedAt: t0 + 7000 });
    expect(first?.diff).toEqual({ filesChanged: 1, insertions: 3, deletions: 1 });
    expect(first?.verdict).toEqual({ passed: true, score: 8 });
    expect(first?.lastActivity).toBe('result: ok, 4 turns, $0.1200');
    // A multi-line message stays one line on screen.
    expect(first?.log).toContain('Fixed it. ⏎ All tests pass.');
    expect(second).toMatchObject({ status: 'failed', reason: 'agent_error', detail: 'exit 1', verdict: null });
    // Attempts plus the review call.
    expect(runCostUsd(state)).toBeCloseTo(0.185);
  });

  it('is pure: the state it was given is left as it was', () => {
    const events = bestOfTwo();
    const before = reduceAll(initialState, events.slice(0, 6));
    const snapshot = structuredClone(before);
    reduceAll(before, events.slice(6));
    expect(before).toEqual(snapshot);
    expect(initialState.attempts).toEqual([]);
  });

  it("ignores other runs' events and an attempt it never saw created", () => {
    const state = reduceAll(initialState, bestOfTwo().slice(0, 3));
    expect(reduce(state, ev('run.failed', { reason: 'x' }, null, t0, 'run_other'))).toBe(state);
    const unknown = reduce(state, ev('attempt.finished', { status: 'failed' }, 'att_nope'));
    expect(unknown.attempts).toEqual(state.attempts);
  });

  it('takes live tokens from attempt.usage and keeps the largest cost seen', () => {
    let state = reduceAll(initialState, bestOfTwo().slice(0, 4));
    state = reduce(state, ev('attempt.usage', { turns: 2, inputTokens: 1500, outputTokens: 300, costUsd: 0.02 }, 'att_1'));
    expect(state.attempts[0]).toMatchObject({ turns: 2, inputTokens: 1500, outputTokens: 300, costUsd: 0.02 });
    state = reduce(state, ev('attempt.activity', { kind: 'result', isError: false, turns: 1, costUsd: 0.01 }, 'att_1'));
    expect(state.attempts[0]).toMatchObject({ turns: 2, costUsd: 0.02 });
  });

  it('shows the worker that has an attempt of a distributed run, and a re-delivery to another', () => {
    let state = reduceAll(initialState, bestOfTwo().slice(0, 3));
    state = reduce(state, ev('attempt.worker', { worker: 'w1', host: 'box-a', delivery: 1 }, 'att_1'));
    state = reduce(state, ev('attempt.started', { pid: null }, 'att_1'));
    expect(state.attempts[0]).toMatchObject({ worker: 'w1', status: 'running' });
    expect(state.attempts[0]?.log).toEqual(['taken by worker w1 on box-a', 'agent started on worker w1']);
    state = reduce(state, ev('attempt.worker', { worker: 'w2', host: 'box-b', delivery: 2 }, 'att_1'));
    expect(state.attempts[0]).toMatchObject({ worker: 'w2', lastActivity: 'on worker w2' });
    expect(state.attempts[0]?.log.at(-1)).toBe('taken by worker w2 on box-b again (the worker before it stopped)');
    expect(state.attempts[1]?.worker).toBeNull();
  });

  it('shows usage turn by turn while the attempt runs, marked as an estimate until the agent totals it', () => {
    let state = reduceAll(initialState, bestOfTwo().slice(0, 4));
    const row = () => cells(state.attempts[0]!, t0 + 60_000, null);
    expect(row()).toMatchObject({ turns: '', tokens: '', cost: '' });
    state = reduce(state, ev('attempt.usage', { turns: 1, inputTokens: 900, outputTokens: 100, costUsd: 0.0123, live: true }, 'att_1'));
    expect(state.attempts[0]?.status).toBe('running');
    expect(row()).toMatchObject({ turns: '1', tokens: '1.0k', cost: '≈$0.0123' });
    state = reduce(state, ev('attempt.usage', { turns: 2, inputTokens: 2000, outputTokens: 500, costUsd: 0.03, live: true }, 'att_1'));
    expect(row()).toMatchObject({ turns: '2', tokens: '2.5k', cost: '≈$0.0300' });
    state = reduce(state, ev('attempt.usage', { turns: 2, inputTokens: 2000, outputTokens: 500, costUsd: 0.031, live: false }, 'att_1'));
    expect(row().cost).toBe('$0.0310');
  });

  it('gives a plan run no one winner: every task whose attempt merged has its own', () => {
    seq = 0;
    const state = reduceAll(initialState, [
      ev('run.started', { goal: 'g', strategy: 'plan', target: 'main' }),
      ev('attempt.created', { n: 1, agent: 'claude', model: null, branch: 'b/a/1', taskKey: 'a' }, 'att_a1'),
      ev('attempt.created', { n: 1, agent: 'claude', model: null, branch: 'b/b/1', taskKey: 'b' }, 'att_b1'),
      ev('attempt.created', { n: 2, agent: 'claude', model: null, branch: 'b/b/2', taskKey: 'b' }, 'att_b2'),
      ev('selection.made', { winner: 'att_a1', reason: 'att_a1 won' }, 'att_a1'),
      ev('merge.recorded', { status: 'merged', message: 'Merged a' }, 'att_a1'),
      ev('selection.made', { winner: 'att_b2', reason: 'att_b2 won' }, 'att_b2'),
      ev('merge.recorded', { status: 'merged', message: 'Merged b' }, 'att_b2'),
    ]);
    expect(state.winner).toBeNull();
    expect(state.landed).toEqual(['att_a1', 'att_b2']);
    expect(isPlanRun(state)).toBe(true);
    // Both tasks' attempts are numbered 1: the task column tells them apart.
    expect(state.attempts.map((a) => `${a.taskKey}#${a.n}`)).toEqual(['a#1', 'b#1', 'b#2']);
    expect(cells(state.attempts[0]!, t0, null).task).toBe('a');
  });

  it('keeps only the newest log lines of an attempt', () => {
    let state = reduceAll(initialState, bestOfTwo().slice(0, 4));
    for (let i = 0; i < logLimit + 50; i++) state = reduce(state, ev('attempt.activity', { kind: 'tool', tool: 'Bash', summary: `step ${i}` }, 'att_1'));
    const log = state.attempts[0]?.log ?? [];
    expect(log).toHaveLength(logLimit);
    expect(log.at(-1)).toBe(`Bash step ${logLimit + 49}`);
    // Activity kinds with nothing to show change nothing.
    expect(reduce(state, ev('attempt.activity', { kind: 'session' }, 'att_1')).attempts).toBe(state.attempts);
  });

  it('goes back to running on resume, and counts elapsed time from the resume', () => {
    seq = 0;
    const events = [
      ev('run.started', { goal: 'g', strategy: 'single', target: 'main' }),
      ev('attempt.created', { n: 1, agent: 'claude', branch: 'b' }, 'att_1'),
      ev('attempt.started', { pid: 1 }, 'att_1'),
      ev('attempt.interrupted', { detail: 'orch was interrupted' }, 'att_1'),
      ev('run.interrupted', { reason: 'interrupted' }),
    ];
    const stopped = reduceAll(initialState, events);
    expect(stopped).toMatchObject({ status: 'interrupted', finishedAt: t0 + 4000 });
    expect(stopped.attempts[0]?.status).toBe('interrupted');
    const resumed = reduceAll(stopped, [ev('run.running'), ev('run.resumed', { pid: 2 }, null, t0 + 60_000), ev('attempt.started', { pid: 3 }, 'att_1')]);
    expect(resumed).toMatchObject({ status: 'running', finishedAt: null, activeSince: t0 + 60_000, reason: null });
    expect(resumed.attempts[0]).toMatchObject({ status: 'running', startedAt: t0 + 2000 });
    expect(isOver(resumed)).toBe(false);
  });
});
