import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { Store } from '../store/store.ts';
import { eventsSince, followExternal, followInProcess, loadRun } from './feed.ts';
import { DashboardModel } from './model.ts';
import { reduceAll } from './reducer.ts';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeWithRun(settings: Record<string, unknown> = {}): Store {
  const store = new Store(':memory:');
  stores.push(store);
  store.runs.create({ id: 'run_a', projectPath: '/p', goal: 'g', strategy: 'best-of-n', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings }, 1);
  return store;
}

const addAttempt = (store: Store, id: string, n: number) =>
  store.attempts.create({ id, runId: 'run_a', taskKey: 'main', stepKey: `gen/${n}`, n, agent: 'claude', model: null, branch: `orch/run_a/main/${n}`, worktree: `/w/${id}`, baseSha: 'a'.repeat(40), logPath: '/l' });

describe('the dashboard feed', () => {
  it('loads a run from its stored events, with the budget from its settings', () => {
    const store = storeWithRun({ budget: { runUsd: 2.5 } });
    addAttempt(store, 'att_1', 1);
    store.attempts.markRunning('att_1', 42);
    const state = loadRun(store, 'run_a');
    expect(state).toMatchObject({ runId: 'run_a', strategy: 'best-of-n', status: 'running', budgetUsd: 2.5 });
    expect(state.attempts.map((a) => [a.id, a.status])).toEqual([['att_1', 'running']]);
    expect(loadRun(storeWithRun(), 'run_a').budgetUsd).toBeNull();
  });

  it('reads every event past a page of 1000', () => {
    const store = storeWithRun();
    addAttempt(store, 'att_1', 1);
    for (let i = 0; i < 2500; i++) store.events.append({ runId: 'run_a', attemptId: 'att_1', type: 'attempt.activity', data: { kind: 'text', text: `line ${i}` } });
    const events = eventsSince(store, 'run_a', 0);
    expect(events).toHaveLength(2502);
    expect(reduceAll(loadRun(store, 'run_a'), []).attempts[0]?.lastActivity).toBe('line 2499');
  });

  it('shows usage the moment it is stored, while the attempt runs: no poll needed', () => {
    const store = storeWithRun();
    addAttempt(store, 'att_1', 1);
    store.attempts.markRunning('att_1', 42);
    const model = new DashboardModel();
    const feed = followInProcess(store, model);
    store.attempts.recordUsage('att_1', { turns: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.03 });
    feed.stop();
    expect(model.state.attempts[0]).toMatchObject({ status: 'running', turns: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.03 });
  });

  it('follows a run another connection writes as soon as it commits, without polling', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-feed-'));
    dirs.push(dir);
    const writer = new Store(join(dir, 'orch.db'));
    const reader = new Store(join(dir, 'orch.db'));
    stores.push(writer, reader);
    writer.runs.create({ id: 'run_a', projectPath: '/p', goal: 'g', strategy: 'best-of-n', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 1);
    const model = new DashboardModel(loadRun(reader, 'run_a'));
    let reads = 0;
    // A tick far longer than the test: anything seen came through the change signal.
    const feed = followExternal(reader, model, { tickMs: 60_000, onRead: () => reads++, onTick: () => undefined });
    const delays: number[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const text = `line ${i}`;
        const at = performance.now();
        writer.events.append({ runId: 'run_a', type: 'run.note', data: { message: text } });
        await waitFor(() => model.state.note === text, { what: `note ${i} on the dashboard`, intervalMs: 1 });
        delays.push(performance.now() - at);
      }
    } finally {
      feed.stop();
    }
    delays.sort((a, b) => a - b);
    // The store's fallback poll is 2 s: a p90 well under it shows the bell, not the poll, carried the events.
    expect(delays[Math.floor(delays.length * 0.9)]).toBeLessThan(500);
    expect(reads).toBeGreaterThanOrEqual(40);
  });

  it("replays a resumed run's history when its first live event arrives", () => {
    const store = storeWithRun();
    addAttempt(store, 'att_1', 1);
    store.runs.transition('run_a', 'interrupted', { reason: 'interrupted' });
    const model = new DashboardModel();
    const seen: string[] = [];
    const feed = followInProcess(store, model, (runId) => seen.push(runId));
    store.runs.transition('run_a', 'running');
    store.events.append({ runId: 'run_a', type: 'run.resumed', data: { pid: 2 } });
    addAttempt(store, 'att_2', 2);
    feed.stop();
    expect(seen).toEqual(['run_a']);
    expect(model.state).toMatchObject({ runId: 'run_a', goal: 'g', status: 'running' });
    expect(model.state.attempts.map((a) => a.id)).toEqual(['att_1', 'att_2']);
  });
});
