// The API's bodies and queries as zod schemas: requests are validated with them, and the OpenAPI document is
// generated from them, so the two cannot drift.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { durationRange, rangeSchema, usdRange } from '../domain/ranges.ts';
import { runStatuses } from '../domain/status.ts';

/** "required" for a missing field instead of zod's "expected string, received undefined". */
const text = () => z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') });

const absolutePath = text()
  .min(1)
  .max(4096)
  .refine((path) => isAbsolute(path) && !path.includes('\0'), 'must be an absolute path');

const seconds = rangeSchema(durationRange);
const usd = rangeSchema(usdRange);

export const startRunBodySchema = z
  .object({
    repo: text()
      .min(1)
      .max(4096)
      .refine((repo) => (isAbsolute(repo) && !repo.includes('\0')) || /^(https?|ssh|git|file):\/\/|^[^/@:\s]+@[^/:\s]+:/.test(repo), 'must be an absolute path or a repository URL')
      .describe('absolute path of the repository on the server, or its URL (https://, ssh://, git@host:path, file://): the server fetches it into a mirror and pushes the result back'),
    goal: text().min(1).max(1024 * 1024).describe('what the agents should do'),
    strategy: z.string().min(1).max(200).optional().describe('single | best-of-n | iterative | tournament | plan (GET /strategies lists them with their parameters), or the path of a strategy module'),
    params: z.record(z.string(), z.unknown()).optional().describe('strategy parameters'),
    agent: z.string().min(1).max(100).optional(),
    agents: z.string().min(1).max(1000).optional().describe('several agents round-robin, agent[:model] comma-separated'),
    model: z.string().min(1).max(200).optional(),
    review: z.boolean().optional().describe('ask the AI reviewer to score every judged attempt'),
    select: z.string().min(1).max(200).optional().describe('selection order, e.g. checks,review,score,lines,finish'),
    base: z.string().min(1).max(500).optional(),
    target: z.string().min(1).max(500).optional(),
    testCmd: z.string().min(1).max(10_000).optional(),
    lintCmd: z.string().min(1).max(10_000).optional(),
    allowUnchecked: z.boolean().optional().describe('merge even when no check runs and no reviewer passes the change'),
    timeoutSeconds: seconds.optional(),
    idleTimeoutSeconds: seconds.optional(),
    maxCostUsd: usd.optional(),
    maxRunCostUsd: usd.optional(),
    executor: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('local') }).strict(), z.object({ kind: z.literal('queue'), redis: text().min(1).max(2000) }).strict()])
      .optional()
      .describe("where the attempts run: here, or on `orch worker` machines through Redis (the repository must be a URL)"),
  })
  .strict();
export type StartRunBody = z.infer<typeof startRunBodySchema>;

/** Seed 003's request form (`{ request, config }`); unknown config keys are accepted and reported as ignored. */
export const orchestrateBodySchema = z
  .object({
    request: text().min(1).max(1024 * 1024).describe('the goal, in natural language'),
    config: z
      .looseObject({
        repo: absolutePath.optional().describe("the repository; default: the server's --repo"),
        strategy: z.string().min(1).max(200).optional(),
        max_workers: z.number().int().min(1).max(50).optional().describe('> 1 runs best-of-n with that many attempts'),
        default_timeout: seconds.optional().describe('seconds per attempt'),
        test_cmd: z.string().min(1).max(10_000).optional().describe("test command; default: the project's own (package.json, pytest, go test, …)"),
        allow_unchecked: z.boolean().optional().describe('merge even when no check runs (default: the result stays on orch/<run>/result)'),
      })
      .optional(),
  })
  .strict();
export type OrchestrateBody = z.infer<typeof orchestrateBodySchema>;

export const listRunsQuerySchema = z
  .object({
    status: z.enum(runStatuses).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    project: absolutePath.optional().describe('absolute path of a repository: only its runs'),
  })
  .strict();

export const logsQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0).describe('lines already read; the answer starts after them'),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const eventsQuerySchema = z
  .object({
    lastEventId: z.coerce.number().int().min(0).optional().describe('resume after this seq (EventSource reconnects send the Last-Event-ID header instead)'),
  })
  .strict();

// The answers live in the domain, shared with orch/client and the dashboard.
export { apiResponses as responses, errorSchema, eventSchema } from '../domain/api.ts';
