import { describe, expect, it } from 'vitest';
import { ConflictError } from '../domain/errors.ts';
import { Store } from './store.ts';

const newTask = (title: string, sourceId: string | null = null) => ({ project: 'app', title, description: '', type: 'code' as const, priority: 2, source: sourceId === null ? 'manual' : 'backlog_file', sourceId, dependsOn: [] });

describe('the backlog in the store', () => {
  it('deduplicates by source and source id, and lists by priority', () => {
    const store = new Store(':memory:');
    expect(store.backlog.add(newTask('one', 'one')).created).toBe(true);
    expect(store.backlog.add(newTask('one again', 'one')).created).toBe(false);
    store.backlog.add({ ...newTask('urgent'), priority: 1 });
    expect(store.backlog.list('app').map((t) => t.title)).toEqual(['urgent', 'one']);
    expect(store.backlog.counts('app')).toMatchObject({ pending: 2, done: 0 });
    store.close();
  });

  it('moves tasks only along their lifecycle', () => {
    const store = new Store(':memory:');
    const { task } = store.backlog.add(newTask('t'));
    expect(store.backlog.setStatus(task.id, 'deferred', 'later').status).toBe('deferred');
    expect(() => store.backlog.setStatus(task.id, 'done')).toThrow(ConflictError);
    store.backlog.setStatus(task.id, 'pending');
    store.close();
  });

  it("records a cycle's result once, however often the cycle is settled, with its cost and run", () => {
    const store = new Store(':memory:');
    const run = store.runs.create({ id: 'run_00000000000001', projectPath: '/p', goal: 'g', strategy: 'cycle', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {}, parentRunId: null, parentAttemptId: null }, process.pid);
    const { task } = store.backlog.add(newTask('t'));
    store.backlog.recordCycleResult(task.id, run.id, 'B1', 'failed', 'checks failed', 0.25);
    const again = store.backlog.recordCycleResult(task.id, run.id, 'B1', 'failed', 'checks failed', 0.25);
    expect(again).toMatchObject({ status: 'failed', attempts: 1, costUsd: 0.25, lastRunId: run.id, reason: 'checks failed' });
    expect(store.backlog.history(task.id)).toHaveLength(1);
    store.close();
  });
});
