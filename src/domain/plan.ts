// Plans: what a planner agent answers (validated with zod), and the task graph rules — ids unique, every
// dependency known, no cycles — checked as pure functions so a bad plan is refused with a precise report.
import { z } from 'zod';

export const taskTypes = ['code', 'test', 'fix', 'docs'] as const;

export const plannedTaskSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'task ids are 1-40 letters, digits, _ . - (starting with a letter or digit)'),
  title: z.string().min(1).max(200),
  description: z.string().min(1),
  type: z.enum(taskTypes),
  dependsOn: z.array(z.string()).default([]),
  files: z.array(z.string()).default([]),
  acceptance: z.string().default(''),
  /** Too big for one worker: with depth left, it is planned again into subtasks on a team branch. */
  large: z.boolean().default(false),
});
export type PlannedTask = z.infer<typeof plannedTaskSchema>;

export const planSchema = z.object({
  found: z.string().describe('what the planner found in the repository'),
  proposal: z.string().describe('what it proposes and why'),
  deferred: z.array(z.object({ item: z.string(), why: z.string() })).default([]),
  risks: z.array(z.string()).default([]),
  tasks: z.array(plannedTaskSchema).min(1),
});
export type Plan = z.infer<typeof planSchema>;

export interface GraphProblem {
  kind: 'duplicate_id' | 'unknown_dependency' | 'self_dependency' | 'cycle' | 'too_many';
  message: string;
}

/** Every problem with the graph, in a form a person (or the planner) can act on; empty when it is sound. */
export function graphProblems(tasks: readonly Pick<PlannedTask, 'id' | 'dependsOn'>[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const ids = new Set<string>();
  for (const task of tasks) {
    if (ids.has(task.id)) problems.push({ kind: 'duplicate_id', message: `two tasks have the id '${task.id}'` });
    ids.add(task.id);
  }
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (dep === task.id) problems.push({ kind: 'self_dependency', message: `task '${task.id}' depends on itself` });
      else if (!ids.has(dep)) problems.push({ kind: 'unknown_dependency', message: `task '${task.id}' depends on '${dep}', which is not in the plan` });
    }
  }
  const cycle = findCycle(tasks);
  if (cycle !== null) problems.push({ kind: 'cycle', message: `the dependencies form a cycle: ${cycle.join(' → ')}` });
  return problems;
}

/** One cycle as a path of ids that returns to its start, or null. */
export function findCycle(tasks: readonly Pick<PlannedTask, 'id' | 'dependsOn'>[]): string[] | null {
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn.filter((d) => d !== t.id)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !deps.has(id)) return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of deps.get(id) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const task of tasks) {
    const found = visit(task.id);
    if (found) return found;
  }
  return null;
}

/** Tasks whose dependencies are all done and that have not started: the ones to start now. */
export function readyTasks<T extends Pick<PlannedTask, 'id' | 'dependsOn'>>(tasks: readonly T[], done: ReadonlySet<string>, started: ReadonlySet<string>): T[] {
  return tasks.filter((t) => !started.has(t.id) && t.dependsOn.every((d) => done.has(d)));
}

/** Tasks that can never run because something they depend on (directly or not) failed. */
export function blockedBy<T extends Pick<PlannedTask, 'id' | 'dependsOn'>>(tasks: readonly T[], failed: ReadonlySet<string>): Set<string> {
  const blocked = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const task of tasks) {
      if (blocked.has(task.id) || failed.has(task.id)) continue;
      if (task.dependsOn.some((d) => failed.has(d) || blocked.has(d))) {
        blocked.add(task.id);
        changed = true;
      }
    }
  }
  return blocked;
}
