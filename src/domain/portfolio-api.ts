// What orch answers about the portfolio (orch status --json, the API, the dashboard), as zod schemas and the types
// read off them: one description for the CLI, the server's routes, orch/client and the web page.
import { z } from 'zod';
import { backlogStatuses, backlogTaskTypes } from './backlog.ts';

export const backlogTaskSchema = z.object({
  id: z.number().int(),
  project: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.enum(backlogTaskTypes),
  priority: z.number().int(),
  source: z.string(),
  sourceId: z.string().nullable(),
  status: z.enum(backlogStatuses),
  reason: z.string().nullable(),
  dependsOn: z.array(z.number().int()),
  attempts: z.number().int(),
  costUsd: z.number(),
  lastRunId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const taskCounts = z.object(Object.fromEntries(backlogStatuses.map((s) => [s, z.number().int()])) as Record<(typeof backlogStatuses)[number], z.ZodNumber>);

export const projectStatusSchema = z.object({
  name: z.string(),
  path: z.string(),
  priority: z.number().int(),
  state: z.enum(['active', 'paused', 'held', 'disabled']).describe('held: a budget is spent until the next period'),
  why: z.string().nullable(),
  tasks: taskCounts,
  costTodayUsd: z.number(),
  costMonthUsd: z.number(),
  costTotalUsd: z.number(),
  budget: z.object({ dailyUsd: z.number().nullable(), monthlyUsd: z.number().nullable() }),
  lastCycle: z.object({ runId: z.string(), status: z.string(), startedAt: z.string(), summary: z.string().nullable() }).nullable(),
  cycles: z.number().int(),
  nextCycleAt: z.string().nullable().describe('when the daemon starts the next cycle; null when no daemon runs or the project is not active'),
});
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

export const portfolioStatusSchema = z.object({
  portfolio: z.string(),
  daemon: z.object({ running: z.boolean(), pid: z.number().int().nullable(), since: z.string().nullable() }),
  projects: z.array(projectStatusSchema),
});
export type PortfolioStatus = z.infer<typeof portfolioStatusSchema>;

export const cycleSummarySchema = z.object({
  runId: z.string(),
  project: z.string(),
  status: z.string(),
  startedAt: z.string(),
  settledAt: z.string().nullable(),
  reservedUsd: z.number(),
  costUsd: z.number(),
  summary: z.string().nullable(),
  planPath: z.string().nullable(),
});
export type CycleSummary = z.infer<typeof cycleSummarySchema>;

/** POST /portfolio/projects/:name/tasks. */
export interface AddBacklogTaskBody {
  title: string;
  description?: string | undefined;
  type?: (typeof backlogTaskTypes)[number] | undefined;
  priority?: number | undefined;
  dependsOn?: number[] | undefined;
}

/** POST /portfolio/tasks/:task. */
export interface EditBacklogTaskBody {
  title?: string | undefined;
  description?: string | undefined;
  type?: (typeof backlogTaskTypes)[number] | undefined;
  priority?: number | undefined;
  status?: 'pending' | 'deferred' | undefined;
}
