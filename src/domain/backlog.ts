// A project's backlog: work that outlives runs. A task waits (pending), is worked on by a cycle (running), and
// ends done or failed; a person may defer it; one whose dependencies are not done is blocked. Written once here.
import { z } from 'zod';

export const backlogTaskTypes = ['code', 'test', 'fix', 'docs', 'review'] as const;
export type BacklogTaskType = (typeof backlogTaskTypes)[number];

export const backlogStatuses = ['pending', 'running', 'done', 'failed', 'deferred', 'blocked'] as const;
export type BacklogStatus = (typeof backlogStatuses)[number];

/** Which status may follow which: a failed task goes back to pending when a person (or a new import) asks. */
export const backlogTransitions: Readonly<Record<BacklogStatus, readonly BacklogStatus[]>> = {
  pending: ['running', 'deferred', 'blocked', 'done', 'failed'],
  running: ['done', 'failed', 'pending', 'deferred'],
  done: [],
  failed: ['pending', 'deferred', 'running'],
  deferred: ['pending'],
  blocked: ['pending', 'deferred', 'running'],
};

export function canMoveBacklogTask(from: BacklogStatus, to: BacklogStatus): boolean {
  return from === to || backlogTransitions[from].includes(to);
}

export interface BacklogTask {
  id: number;
  project: string;
  title: string;
  description: string;
  type: BacklogTaskType;
  /** 1 is most urgent. */
  priority: number;
  source: string;
  /** The source's own id of the item (a line's text, an issue number): a re-import finds it again. */
  sourceId: string | null;
  status: BacklogStatus;
  reason: string | null;
  dependsOn: number[];
  /** Times a cycle worked on it, what that cost, and the last cycle (run) that did. */
  attempts: number;
  costUsd: number;
  lastRunId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The key a planner gives a task that works on backlog item `id`: the link back after the cycle. */
export const backlogKey = (id: number): string => `B${id}`;

/** The backlog item a planned task's key names: `B12` is item 12; `B12.1` a piece of it (the item stays open). */
export function backlogIdOfKey(key: string): { id: number; whole: boolean } | null {
  const match = /^B(\d+)(\..+)?$/.exec(key);
  return match === null ? null : { id: Number(match[1]), whole: match[2] === undefined };
}

export const newBacklogTaskSchema = z
  .object({
    title: z.string().trim().min(1, 'a task needs a title').max(200),
    description: z.string().max(20_000).default(''),
    type: z.enum(backlogTaskTypes).default('code'),
    priority: z.number().int().min(1).max(9).default(2),
    dependsOn: z.array(z.number().int().positive()).default([]),
  })
  .strict();
export type NewBacklogTaskInput = z.input<typeof newBacklogTaskSchema>;

export const editBacklogTaskSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(20_000).optional(),
    type: z.enum(backlogTaskTypes).optional(),
    priority: z.number().int().min(1).max(9).optional(),
    status: z.enum(['pending', 'deferred']).optional().describe('pending (again) or deferred; the rest is the daemon\'s to set'),
  })
  .strict();

/** One cycle of a project: a run of strategy `cycle`, its budget reservation, and whether its results reached the backlog. */
export interface Cycle {
  runId: string;
  project: string;
  reservedUsd: number;
  startedAt: string;
  /** Set once the run's end has been written back into the backlog. */
  settledAt: string | null;
  summary: string | null;
  planPath: string | null;
}
