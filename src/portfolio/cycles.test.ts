import { describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';
import { trackRunningBacklog } from './cycles.ts';

describe('the backlog while a cycle works', () => {
  it("shows an item running once a cycle's task for it starts, and leaves pieces and other projects' items alone", async () => {
    const store = new Store(':memory:');
    const run = store.runs.create({ id: 'run_00000000000001', projectPath: '/p', goal: 'g', strategy: 'cycle', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {}, parentRunId: null, parentAttemptId: null }, process.pid);
    store.cycles.record(run.id, 'app', 1);
    const item = (project: string, title: string) => store.backlog.add({ project, title, description: '', type: 'code', priority: 2, source: 'manual', sourceId: null, dependsOn: [] }).task;
    const [whole, piece, other] = [item('app', 'whole'), item('app', 'piece'), item('lib', 'other')];
    const stop = trackRunningBacklog(store);
    for (const key of [`B${whole.id}`, `B${piece.id}.1`, `B${other.id}`, 'plain']) store.events.append({ runId: run.id, type: 'task.running', data: { key } });
    await Promise.resolve();
    expect([store.backlog.get(whole.id).status, store.backlog.get(piece.id).status, store.backlog.get(other.id).status]).toEqual(['running', 'pending', 'pending']);
    stop();
    store.close();
  });
});
