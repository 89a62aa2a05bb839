import { describe, expect, it } from 'vitest';
import type { TaskNode } from './task-layout.ts';
import { layoutTasks } from './task-layout.ts';

const task = (key: string, dependsOn: string[] = [], parentId: string | null = null): TaskNode => ({
  id: `task_${key.replace('/', '_')}`,
  key,
  title: key,
  status: 'pending',
  dependsOn,
  parentId,
});

describe('layoutTasks', () => {
  it('puts each task one layer right of what it waits for, and subtasks right of their parent', () => {
    const tasks = [task('api', ['db']), task('db'), task('ui', ['api', 'db']), task('api/auth', [], 'task_api'), task('api/routes', ['auth'], 'task_api')];
    const layout = layoutTasks(tasks);
    const layer = Object.fromEntries(layout.nodes.map((n) => [n.task.key, n.layer]));
    expect(layer).toEqual({ db: 0, api: 1, ui: 2, 'api/auth': 2, 'api/routes': 3 });
    expect(layout.edges.map((e) => `${e.from.task.key}>${e.to.task.key}:${e.kind}`).sort()).toEqual([
      'api/auth>api/routes:dep',
      'api>api/auth:parent',
      'api>api/routes:parent',
      'api>ui:dep',
      'db>api:dep',
      'db>ui:dep',
    ]);
    expect(layout.layers).toBe(4);
  });

  it('survives a cycle and unknown dependencies', () => {
    const layout = layoutTasks([task('a', ['b']), task('b', ['a']), task('c', ['nowhere'])]);
    expect(layout.nodes).toHaveLength(3);
  });
});
