// Runs: start, list, read, cancel, resume.
import type { RunRequest } from '../engine/run/run-request.ts';
import { runTimeline } from '../report/run-timeline.ts';
import { isAbsolute } from 'node:path';
import { assertRedisUrl } from '../distributed/redis-url.ts';
import { syncMirror } from '../remote/mirror.ts';
import { assertRepoUrl } from '../remote/url.ts';
import { defineRoute, type AnyRoute, type ServerDeps } from './route.ts';
import { listRunsQuerySchema, responses, startRunBodySchema, type StartRunBody } from './schemas.ts';

/** A body's run request; a repository given by URL is fetched into its mirror first (remote/mirror.ts). */
export async function toRunRequest(body: StartRunBody, home: string): Promise<RunRequest> {
  const { repo, executor, ...rest } = body;
  const request: RunRequest = { ...rest, repoPath: repo, ...(executor === undefined ? {} : { executor: executor.kind === 'queue' ? { kind: 'queue', redis: assertRedisUrl(executor.redis, 'executor.redis') } : executor }) };
  if (isAbsolute(repo)) return request;
  const mirror = await syncMirror(home, assertRepoUrl(repo, 'repo'), { ref: body.base ?? body.target });
  return { ...request, repoPath: mirror.repo.root, target: body.target ?? mirror.defaultBranch };
}

export function runRoutes(deps: ServerDeps): AnyRoute[] {
  const { store, engine } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/runs',
      scope: 'write',
      summary: 'Start a run in the background; answers once the run exists (400 with the reason if the request is bad).',
      body: startRunBodySchema,
      status: 202,
      response: responses.started,
      handle: async ({ body }) => ({ runId: (await engine.startRun(await toRunRequest(body, deps.paths.home))).runId }),
    }),
    defineRoute({
      method: 'get',
      path: '/runs',
      scope: 'read',
      summary: 'Runs, newest first; filter by status and project (repository path).',
      query: listRunsQuerySchema,
      status: 200,
      response: responses.runs,
      handle: ({ query }) => {
        const base = { ...(query.project === undefined ? {} : { projectPath: query.project }) };
        // The status filter runs over a wider page so that `limit` still counts matching runs.
        const all = store.runs.list({ ...base, limit: query.status === undefined ? query.limit : 5000 });
        return { runs: (query.status === undefined ? all : all.filter((run) => run.status === query.status)).slice(0, query.limit) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/runs/:id',
      scope: 'read',
      summary: 'A run with its attempts, verdicts, comparisons and merges.',
      idKind: 'run',
      status: 200,
      response: responses.report,
      handle: ({ id }) => engine.report(id),
    }),
    defineRoute({
      method: 'get',
      path: '/runs/:id/timeline',
      scope: 'read',
      summary: 'The run in time, from its event log: a lane per attempt and task with its phases and cost, and the analytics (wall and agent time, parallel efficiency, critical path, slowest check, most expensive attempt).',
      idKind: 'run',
      status: 200,
      response: responses.timeline,
      handle: ({ id }) => runTimeline(store, store.runs.get(id).id),
    }),
    defineRoute({
      method: 'get',
      path: '/runs/:id/attempts',
      scope: 'read',
      summary: "A run's attempts.",
      idKind: 'run',
      status: 200,
      response: responses.attempts,
      handle: ({ id }) => ({ attempts: store.attempts.listByRun(store.runs.get(id).id) }),
    }),
    defineRoute({
      method: 'get',
      path: '/runs/:id/verdicts',
      scope: 'read',
      summary: "A run's verdicts (checks and reviews of its attempts).",
      idKind: 'run',
      status: 200,
      response: responses.verdicts,
      handle: ({ id }) => ({ verdicts: store.judgements.verdictsByRun(store.runs.get(id).id) }),
    }),
    defineRoute({
      method: 'get',
      path: '/runs/:id/tasks',
      scope: 'read',
      summary: "A plan run's task graph (empty for other strategies).",
      idKind: 'run',
      status: 200,
      response: responses.tasks,
      handle: ({ id }) => ({ tasks: store.tasks.listByRun(store.runs.get(id).id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/runs/:id/cancel',
      scope: 'write',
      summary: 'Cancel a run: a running one stops and ends canceled, a stopped one (interrupted, failed) is closed for good (409 once succeeded or canceled).',
      idKind: 'run',
      status: 200,
      response: responses.run,
      handle: async ({ id }) => ({ run: await engine.cancel(id, 'canceled through the API') }),
    }),
    defineRoute({
      method: 'post',
      path: '/runs/:id/resume',
      scope: 'write',
      summary: 'Resume an interrupted or failed run in the background: finished steps are not redone.',
      idKind: 'run',
      status: 202,
      response: responses.resumed,
      handle: async ({ id }) => {
        await engine.resumeRun(id);
        return { runId: id, status: store.runs.get(id).status };
      },
    }),
  ];
}
