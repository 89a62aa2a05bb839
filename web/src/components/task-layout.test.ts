import { describe, expect, it } from 'vitest';
import type { Box, TaskNode } from './task-layout.ts';
import { layoutTasks, predecessors } from './task-layout.ts';

const task = (key: string, dependsOn: string[] = [], parentId: string | null = null): TaskNode => ({
  id: `task_${key.replace('/', '_')}`,
  key,
  title: key,
  status: 'pending',
  dependsOn,
  parentId,
});

const inside = (p: { x: number; y: number }, b: Box, inset: number) => p.x > b.x + inset && p.x < b.x + b.width - inset && p.y > b.y + inset && p.y < b.y + b.height - inset;
const onBorder = (p: { x: number; y: number }, b: Box) =>
  p.x >= b.x - 1 && p.x <= b.x + b.width + 1 && p.y >= b.y - 1 && p.y <= b.y + b.height + 1 && !inside(p, b, 1);

/** Points along an edge's segments, every few pixels. */
function along(points: readonly { x: number; y: number }[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 4));
    for (let s = 0; s <= steps; s++) out.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
  }
  return out;
}

describe('layoutTasks', () => {
  it('puts each task right of what it waits for, and subtasks right of their parent', () => {
    const tasks = [task('api', ['db']), task('db'), task('ui', ['api', 'db']), task('api/auth', [], 'task_api'), task('api/routes', ['auth'], 'task_api')];
    const layout = layoutTasks(tasks);
    const x = Object.fromEntries(layout.nodes.map((n) => [n.task.key, n.x]));
    expect(x['db']!).toBeLessThan(x['api']!);
    expect(x['api']!).toBeLessThan(x['ui']!);
    expect(x['api']!).toBeLessThan(x['api/auth']!);
    expect(x['api/auth']!).toBeLessThan(x['api/routes']!);
    expect(layout.edges.map((e) => `${e.from.task.key}>${e.to.task.key}:${e.kind}`).sort()).toEqual([
      'api/auth>api/routes:dep',
      'api>api/auth:parent',
      'api>api/routes:parent',
      'api>ui:dep',
      'db>api:dep',
      'db>ui:dep',
    ]);
  });

  it("resolves a subtask's dependency to its sibling, not to a top-level task of the same name", () => {
    const tasks = [task('auth'), task('api'), task('api/auth', [], 'task_api'), task('api/routes', ['auth'], 'task_api')];
    const preds = predecessors(tasks).get('task_api_routes')?.map((p) => `${p.task.key}:${p.kind}`);
    expect(preds).toEqual(['api/auth:dep', 'api:parent']);
  });

  it('starts and ends every edge on the borders of its own boxes, and passes through no other box', () => {
    // A long edge (a → d) over a layer with several tasks in it, and a fan-in/fan-out.
    const tasks = [task('a'), task('b', ['a']), task('c', ['b']), task('d', ['a', 'c']), task('e', ['a']), task('f', ['b', 'e']), task('g', ['a', 'f', 'd'])];
    const layout = layoutTasks(tasks);
    expect(layout.edges).toHaveLength(10);
    for (const edge of layout.edges) {
      const name = `${edge.from.task.key}>${edge.to.task.key}`;
      expect(onBorder(edge.points[0]!, edge.from), `${name} starts on its source`).toBe(true);
      expect(onBorder(edge.points.at(-1)!, edge.to), `${name} ends on its target`).toBe(true);
      for (const other of layout.nodes.filter((n) => n !== edge.from && n !== edge.to)) {
        expect(along(edge.points).some((p) => inside(p, other, 2)), `${name} crosses ${other.task.key}`).toBe(false);
      }
    }
    // No two boxes overlap, and all fit in the drawing.
    for (const a of layout.nodes) {
      expect(a.x >= 0 && a.y >= 0 && a.x + a.width <= layout.width && a.y + a.height <= layout.height).toBe(true);
      for (const b of layout.nodes) if (a !== b) expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
    }
  });

  it('survives a cycle, a self-dependency and unknown dependencies', () => {
    const layout = layoutTasks([task('a', ['b']), task('b', ['a']), task('c', ['nowhere', 'c'])]);
    expect(layout.nodes).toHaveLength(3);
    expect(layout.edges).toHaveLength(2);
  });
});
