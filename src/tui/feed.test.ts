import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';
import { eventsSince, followInProcess, loadRun, usageEvents } from './feed.ts';
import { DashboardModel } from './model.ts';
import { reduceAll } from './reducer.ts';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
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

  it('turns stored usage (written without an event) into attempt.usage events, once per change', () => {
    const store = storeWithRun();
    addAttempt(store, 'att_1', 1);
    const model = new DashboardModel(loadRun(store, 'run_a'));
    expect(usageEvents(store, model.state)).toEqual([]);
    store.attempts.recordUsage('att_1', { turns: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.03 });
    model.applyAll(usageEvents(store, model.state));
    expect(model.state.attempts[0]).toMatchObject({ turns: 3, inputTokens: 1000, outputTokens: 200, costUsd: 0.03 });
    expect(usageEvents(store, model.state)).toEqual([]);
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
