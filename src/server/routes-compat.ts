// Seed 003's form of the API: POST /orchestrate { request, config } and GET /jobs/:id/status.
import type { RunStatus } from '../domain/status.ts';
import type { RunRequest } from '../engine/run/run-request.ts';
import { defineRoute, type AnyRoute, type ServerDeps } from './route.ts';
import { orchestrateBodySchema, responses, type OrchestrateBody } from './schemas.ts';

const known = new Set(['repo', 'strategy', 'max_workers', 'default_timeout', 'test_cmd', 'allow_unchecked']);

/** Seed 003's job statuses, as its clients poll for them. */
const jobStatus: Record<RunStatus, string> = {
  queued: 'pending',
  running: 'running',
  paused: 'running',
  interrupted: 'interrupted',
  succeeded: 'completed',
  failed: 'failed',
  canceled: 'canceled',
};

export function orchestrateRequest(body: OrchestrateBody, defaultRepo: string): { request: RunRequest; ignored: string[] } {
  const config = body.config ?? {};
  const workers = config.max_workers ?? 1;
  const strategy = config.strategy ?? (workers > 1 ? 'best-of-n' : 'single');
  return {
    request: {
      repoPath: config.repo ?? defaultRepo,
      goal: body.request,
      strategy,
      ...(strategy === 'best-of-n' && workers > 1 ? { params: { n: workers } } : {}),
      ...(config.default_timeout === undefined ? {} : { timeoutSeconds: config.default_timeout }),
      ...(config.test_cmd === undefined ? {} : { testCmd: config.test_cmd }),
      ...(config.allow_unchecked === undefined ? {} : { allowUnchecked: config.allow_unchecked }),
    },
    ignored: Object.keys(config).filter((key) => !known.has(key)),
  };
}

export function compatRoutes(deps: ServerDeps): AnyRoute[] {
  const { store, engine } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/orchestrate',
      scope: 'write',
      summary: "Seed 003's request form: { request, config } starts a run on config.repo or the server's --repo.",
      body: orchestrateBodySchema,
      status: 202,
      response: responses.orchestrated,
      handle: async ({ body }) => {
        const { request, ignored } = orchestrateRequest(body, deps.defaultRepo);
        const { runId } = await engine.startRun(request);
        return { job_id: runId, runId, status: jobStatus[store.runs.get(runId).status], ignored };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/jobs/:id/status',
      scope: 'read',
      summary: "Seed 003's job status: pending, running, completed, failed, canceled or interrupted, with the run.",
      idKind: 'run',
      status: 200,
      response: responses.jobStatus,
      handle: ({ id }) => {
        const run = store.runs.get(id);
        return { job_id: run.id, status: jobStatus[run.status], run };
      },
    }),
  ];
}
