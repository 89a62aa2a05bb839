// How an attempt is named to a person. Attempts are numbered per task (a plan run's task A and task B each have
// an attempt 1), so where a run has tasks the number comes with the task's title.
import type { Attempt, Merge } from 'orch/client';
import type { TaskNode } from './task-layout.ts';

export type TasksByKey = ReadonlyMap<string, TaskNode>;

export const tasksByKey = (tasks: readonly TaskNode[] | undefined): TasksByKey => new Map((tasks ?? []).map((t) => [t.key, t]));

/** `attempt 2`, or `Add the login form · attempt 2` in a run with tasks. */
export function attemptLabel(attempt: Pick<Attempt, 'n' | 'taskKey'>, tasks: TasksByKey): string {
  const task = tasks.get(attempt.taskKey);
  return task ? `${task.title} · attempt ${attempt.n}` : `attempt ${attempt.n}`;
}

/** Attempt ids in a sentence as the grid shows them. */
export function readableIds(text: string, attempts: readonly Attempt[], tasks: TasksByKey): string {
  return attempts.reduce((out, attempt) => out.replaceAll(attempt.id, attemptLabel(attempt, tasks)), text);
}

/** The attempts whose work landed: the winner of a single-task run, every task's merged attempt in a plan run. */
export function landedAttempts(merges: readonly Merge[]): Set<string> {
  return new Set(merges.filter((m) => m.status === 'merged' && m.attemptId !== null).map((m) => m.attemptId as string));
}
