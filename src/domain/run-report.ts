// A run and everything it produced, in one shape: what the engine reports, GET /runs/:id answers, orch/client
// returns and `orch run --json` prints.
import { z } from 'zod';
import { attemptSchema, comparisonSchema, mergeSchema, projectStateSchema, runSchema, taskSchema, verdictSchema } from './records.ts';

export const runReportSchema = z.object({
  run: runSchema,
  attempts: z.array(attemptSchema),
  verdicts: z.array(verdictSchema),
  comparisons: z.array(comparisonSchema),
  merges: z.array(mergeSchema),
  children: z.array(runSchema).describe("runs started by this run's agents through the delegate tool"),
  tasks: z.array(taskSchema).describe('the task graph of a plan run (empty for other strategies)'),
  project: projectStateSchema.describe("the project's patrol state (paused after too many failed runs in a row)"),
  delivery: z
    .object({
      status: z.enum(['pushed', 'result-branch', 'nothing', 'failed']),
      message: z.string(),
      url: z.string().optional(),
      target: z.string().optional(),
      branch: z.string().optional(),
    })
    .nullable()
    .default(null)
    .describe('for a repository given by URL: how the result went back (the target fast-forwarded, or orch/<run>/result)'),
  workers: z
    .array(z.object({ attemptId: z.string(), worker: z.string(), host: z.string(), delivery: z.number().int() }))
    .default([])
    .describe('which `orch worker` took each delivery of each attempt (queue executor runs; empty for local ones)'),
});
export type RunReport = z.infer<typeof runReportSchema>;

/** What the engine gives back when it has run a run (to its end or to an interruption): the report, and where
 * the audit trail was written (a path on the engine's machine, so the API does not send it). */
export interface AuditedRunReport extends RunReport {
  auditDir: string;
}
