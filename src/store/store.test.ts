import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { Store } from './store.ts';

function seededStore(): Store {
  const store = new Store(':memory:');
  store.runs.create({ id: 'run_a', projectPath: '/p', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 1);
  return store;
}

describe('Store', () => {
  it('publishes events only after the transaction that wrote them commits', () => {
    const store = seededStore();
    const seen: OrchEvent[] = [];
    store.events.subscribe((e) => seen.push(e));
    expect(() =>
      store.tx(() => {
        store.events.append({ runId: 'run_a', type: 'x' });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(seen).toEqual([]);
    expect(store.events.since('run_a').map((e) => e.type)).toEqual(['run.started']);
    store.tx(() => store.events.append({ runId: 'run_a', type: 'y' }));
    expect(seen.map((e) => e.type)).toEqual(['y']);
  });

  it('refuses status transitions the lifecycle does not allow', () => {
    const store = seededStore();
    store.runs.transition('run_a', 'succeeded', { reason: 'done' });
    expect(() => store.runs.transition('run_a', 'running')).toThrow(/succeeded; it cannot become running/);
    expect(store.runs.get('run_a').finishedAt).not.toBeNull();
  });

  it("derives a run's cost and tokens from its attempts", () => {
    const store = seededStore();
    for (const [id, cost] of [['att_1', 0.25], ['att_2', 0.5]] as const) {
      store.attempts.create({ id, runId: 'run_a', taskKey: 'main', stepKey: id, n: 1, agent: 'claude', model: null, branch: `orch/x/${id}`, worktree: `/w/${id}`, baseSha: 'a'.repeat(40), logPath: '/l' });
      store.attempts.recordUsage(id, { turns: 2, inputTokens: 100, outputTokens: 10, costUsd: cost });
    }
    expect(store.runs.get('run_a')).toMatchObject({ costUsd: 0.75, inputTokens: 200, outputTokens: 20 });
  });

  it('keeps durable steps: started, then completed with a result', () => {
    const store = seededStore();
    store.steps.start('run_a', 'attempt/0', { n: 0 });
    expect(store.steps.find('run_a', 'attempt/0')).toMatchObject({ status: 'started', input: { n: 0 }, result: null });
    store.steps.complete('run_a', 'attempt/0', { attemptId: 'att_1' });
    expect(store.steps.find('run_a', 'attempt/0')).toMatchObject({ status: 'completed', result: { attemptId: 'att_1' } });
  });

  it('finds runs by a unique prefix and says when a prefix is ambiguous', () => {
    const store = seededStore();
    store.runs.create({ id: 'run_b', projectPath: '/p', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 1);
    expect(store.runs.resolvePrefix('run_a').id).toBe('run_a');
    expect(() => store.runs.resolvePrefix('run_')).toThrow(/more than one run/);
    expect(() => store.runs.resolvePrefix('run_%')).toThrow(/No run/);
  });
});
