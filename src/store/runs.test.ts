import { describe, expect, it } from 'vitest';
import { Store } from './store.ts';

function addRun(store: Store, id: string, parentRunId: string | null = null): void {
  store.runs.create({ id, projectPath: '/p', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {}, parentRunId }, 1);
}

function spend(store: Store, runId: string, costUsd: number, call: boolean): void {
  const usage = { turns: 1, inputTokens: 10, outputTokens: 1, costUsd };
  if (call) {
    store.judgements.addAgentCall({ runId, kind: 'review', stepKey: `review/${runId}`, attemptId: null, status: 'ok', usage });
    return;
  }
  const id = `att_${runId}`;
  store.attempts.create({ id, runId, taskKey: 'main', stepKey: id, n: 1, agent: 'claude', model: null, branch: `orch/x/${id}`, worktree: `/w/${id}`, baseSha: 'a'.repeat(40), logPath: '/l' });
  store.attempts.recordUsage(id, usage);
}

describe('run cost', () => {
  it("includes what its child runs spent, at every level (attempts and agent calls)", () => {
    const store = new Store(':memory:');
    addRun(store, 'run_parent');
    addRun(store, 'run_child', 'run_parent');
    addRun(store, 'run_grandchild', 'run_child');
    addRun(store, 'run_other');
    spend(store, 'run_parent', 1, false);
    spend(store, 'run_parent', 0.5, true);
    spend(store, 'run_child', 2, false);
    spend(store, 'run_child', 0.25, true);
    spend(store, 'run_grandchild', 4, false);
    spend(store, 'run_other', 8, false);

    expect(store.runs.get('run_parent')).toMatchObject({ costUsd: 7.75, inputTokens: 50, outputTokens: 5 });
    expect(store.runs.get('run_child')).toMatchObject({ costUsd: 6.25, inputTokens: 30, outputTokens: 3 });
    expect(store.runs.get('run_grandchild')).toMatchObject({ costUsd: 4, inputTokens: 10 });
    expect(store.runs.get('run_other').costUsd).toBe(8);
    expect(store.runs.list().find((r) => r.id === 'run_parent')?.costUsd).toBe(7.75);
    // What the children spent alone: the part a parent's budget hears of from the store.
    expect(store.runs.childrenCostUsd('run_parent')).toBe(6.25);
    expect(store.runs.childrenCostUsd('run_grandchild')).toBe(0);
    // The usage event carries the run's total, children included, for the dashboards.
    expect(store.events.since('run_child').findLast((e) => e.type === 'attempt.usage')?.data).toMatchObject({ costUsd: 2, runCostUsd: 2, live: false });
    store.close();
  });
});
