import { describe, expect, it } from 'vitest';
import { blockedBy, findCycle, graphProblems, readyTasks } from './plan.ts';

const t = (id: string, ...dependsOn: string[]) => ({ id, dependsOn });

describe('task graphs', () => {
  it('accepts a sound graph', () => {
    expect(graphProblems([t('A'), t('B', 'A'), t('C')])).toEqual([]);
  });

  it('names unknown dependencies, duplicates, self-dependencies and cycles', () => {
    const messages = graphProblems([t('A', 'Z'), t('B', 'C'), t('C', 'B'), t('D', 'D'), t('A')]).map((p) => p.message);
    expect(messages).toContain("task 'A' depends on 'Z', which is not in the plan");
    expect(messages).toContain("two tasks have the id 'A'");
    expect(messages).toContain("task 'D' depends on itself");
    expect(messages).toContain('the dependencies form a cycle: B → C → B');
  });

  it('finds longer cycles', () => {
    expect(findCycle([t('A', 'C'), t('B', 'A'), t('C', 'B')])).toEqual(['A', 'C', 'B', 'A']);
  });

  it('knows what is ready and what is blocked', () => {
    const tasks = [t('A'), t('B', 'A'), t('C'), t('D', 'B', 'C')];
    expect(readyTasks(tasks, new Set(), new Set()).map((x) => x.id)).toEqual(['A', 'C']);
    expect(readyTasks(tasks, new Set(['A']), new Set(['A', 'C'])).map((x) => x.id)).toEqual(['B']);
    expect([...blockedBy(tasks, new Set(['A']))].sort()).toEqual(['B', 'D']);
  });
});
