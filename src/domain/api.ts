// What the API of `orch serve` answers, as zod schemas and the types read off them. The server's route list types
// its handlers with these schemas and generates the OpenAPI document from them; orch/client and the dashboard use
// the types. Requests are checked by the server's own schemas (server/schemas.ts); their plain types are here.
import { z } from 'zod';
import { attemptSchema, runSchema, taskSchema, verdictSchema } from './records.ts';
import { runReportSchema } from './run-report.ts';
import { runTimelineSchema } from './timeline.ts';
import { backlogTaskSchema, cycleSummarySchema, portfolioStatusSchema } from './portfolio-api.ts';
import { runStatuses, type RunStatus } from './status.ts';

export const eventSchema = z.object({
  seq: z.number().int(),
  runId: z.string().nullable(),
  attemptId: z.string().nullable(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof errorSchema>;

const fileStatSchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  insertions: z.number().int(),
  deletions: z.number().int(),
  binary: z.boolean(),
});
export type FileStat = z.infer<typeof fileStatSchema>;

const attemptDiffSchema = z.object({
  attemptId: z.string(),
  baseSha: z.string(),
  headSha: z.string().nullable(),
  text: z.string().describe('the patch, cut at the server\'s limit'),
  truncated: z.boolean(),
  stat: z.object({ filesChanged: z.number().int(), insertions: z.number().int(), deletions: z.number().int(), files: z.array(fileStatSchema) }).nullable(),
});
export type AttemptDiff = z.infer<typeof attemptDiffSchema>;

const logLineSchema = z.object({
  t: z.number().describe('when the line was written, epoch ms'),
  s: z.enum(['stdout', 'stderr']),
  line: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

const attemptLogsSchema = z.object({
  lines: z.array(logLineSchema),
  next: z.number().int().describe('pass as ?after= to read on'),
  done: z.boolean().describe('the attempt is over, so no more lines will come'),
});
export type AttemptLogs = z.infer<typeof attemptLogsSchema>;

const attemptDetailSchema = z.object({ attempt: attemptSchema, verdicts: z.array(verdictSchema) });
export type AttemptDetail = z.infer<typeof attemptDetailSchema>;

/** A live `orch worker`, from its heartbeat in Redis (what `orch workers` and GET /workers show). */
export const workerBeatSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  agents: z.array(z.string()),
  concurrency: z.number().int(),
  running: z.array(z.object({ attemptId: z.string(), runId: z.string(), agent: z.string(), since: z.string() })),
  startedAt: z.string(),
  lastSeen: z.string(),
});
export type WorkerBeat = z.infer<typeof workerBeatSchema>;
const strategyInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  params: z.record(z.string(), z.unknown()).describe("the JSON Schema of the strategy's parameters (their types, ranges, defaults and help)"),
});
export type StrategyInfo = z.infer<typeof strategyInfoSchema>;

/** Every answer of the API, by name; a route declares one and its handler must return that shape. */
export const apiResponses = {
  health: z.object({ ok: z.boolean(), version: z.string() }),
  started: z.object({ runId: z.string() }),
  orchestrated: z.object({ job_id: z.string(), runId: z.string(), status: z.string(), ignored: z.array(z.string()) }),
  jobStatus: z.object({ job_id: z.string(), status: z.string(), run: runSchema }),
  runs: z.object({ runs: z.array(runSchema) }),
  report: runReportSchema,
  timeline: runTimelineSchema,
  attempts: z.object({ attempts: z.array(attemptSchema) }),
  verdicts: z.object({ verdicts: z.array(verdictSchema) }),
  tasks: z.object({ tasks: z.array(taskSchema) }),
  attempt: attemptDetailSchema,
  diff: attemptDiffSchema,
  logs: attemptLogsSchema,
  run: z.object({ run: runSchema }),
  resumed: z.object({ runId: z.string(), status: z.enum(runStatuses) }),
  strategies: z.object({ strategies: z.array(strategyInfoSchema) }),
  openapi: z.record(z.string(), z.unknown()),
  events: eventSchema,
  portfolio: portfolioStatusSchema,
  backlog: z.object({ tasks: z.array(backlogTaskSchema) }),
  backlogTask: z.object({ task: backlogTaskSchema }),
  cycles: z.object({ cycles: z.array(cycleSummarySchema) }),
  workers: z.object({ workers: z.array(workerBeatSchema) }),
} as const;

/** The answer named `K`, e.g. `ApiAnswer<'runs'>` is `{ runs: Run[] }`. */
export type ApiAnswer<K extends keyof typeof apiResponses> = z.infer<(typeof apiResponses)[K]>;

/** POST /runs. */
export interface StartRunBody {
  /** Absolute path of the repository on the server's machine, or its URL (fetched into a mirror, the result pushed back). */
  repo: string;
  goal: string;
  strategy?: string | undefined;
  params?: Record<string, unknown> | undefined;
  agent?: string | undefined;
  agents?: string | undefined;
  model?: string | undefined;
  review?: boolean | undefined;
  select?: string | undefined;
  base?: string | undefined;
  target?: string | undefined;
  testCmd?: string | undefined;
  lintCmd?: string | undefined;
  /** Merge even when no check runs and no reviewer passes the change. */
  allowUnchecked?: boolean | undefined;
  timeoutSeconds?: number | undefined;
  idleTimeoutSeconds?: number | undefined;
  maxCostUsd?: number | undefined;
  maxRunCostUsd?: number | undefined;
  /** Where the attempts run: here, or on `orch worker` machines through Redis (the repository must be a URL). */
  executor?: { kind: 'local' } | { kind: 'queue'; redis: string } | undefined;
}

/** GET /runs. */
export interface ListRunsQuery {
  status?: RunStatus;
  limit?: number;
  /** Absolute path of a repository. */
  project?: string;
}
