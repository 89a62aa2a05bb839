// The portfolio over the API: its status, each project's backlog (list, add, edit, defer) and cycles. The
// portfolio file is read at each request, so an edit shows without a restart; none configured is a 404.
import { z } from 'zod';
import { backlogStatuses, editBacklogTaskSchema, newBacklogTaskSchema } from '../domain/backlog.ts';
import { findProject, loadPortfolio, type Portfolio } from '../portfolio/config.ts';
import { cycleSummaries, portfolioStatus } from '../portfolio/status.ts';
import { HttpError } from './errors.ts';
import { defineRoute, type AnyRoute, type ServerDeps } from './route.ts';
import { responses } from './schemas.ts';

const tasksQuerySchema = z.object({ status: z.enum(backlogStatuses).optional() }).strict();

export function portfolioRoutes(deps: ServerDeps): AnyRoute[] {
  const { store } = deps;
  const portfolio = (): Portfolio => {
    if (deps.portfolioPath === null) throw new HttpError(404, 'no_portfolio', 'This server has no portfolio.', { hint: 'Start it with orch serve --portfolio <path>, or write $ORCH_HOME/portfolio.jsonc.' });
    return loadPortfolio(deps.portfolioPath);
  };
  const projectOf = (name: string | undefined) => findProject(portfolio(), name ?? '');
  const taskOf = (value: string | undefined) => {
    const id = Number(value);
    if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'invalid_id', 'A backlog task id is a positive whole number.');
    return store.backlog.get(id);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/portfolio',
      scope: 'read',
      summary: 'The portfolio: the daemon, and per project its state and why, backlog counts, spend, last and next cycle.',
      status: 200,
      response: responses.portfolio,
      handle: () => portfolioStatus(store, portfolio(), deps.paths.home),
    }),
    defineRoute({
      method: 'get',
      path: '/portfolio/projects/:name/tasks',
      scope: 'read',
      summary: "A project's backlog, most urgent first (?status= to filter).",
      query: tasksQuerySchema,
      status: 200,
      response: responses.backlog,
      handle: ({ c, query }) => ({ tasks: store.backlog.list(projectOf(c.req.param('name')).name, query.status) }),
    }),
    defineRoute({
      method: 'post',
      path: '/portfolio/projects/:name/tasks',
      scope: 'write',
      summary: "Add a task to a project's backlog; its next cycle sees it.",
      body: newBacklogTaskSchema,
      status: 200,
      response: responses.backlogTask,
      handle: ({ c, body }) => {
        const project = projectOf(c.req.param('name'));
        for (const dep of body.dependsOn) if (store.backlog.get(dep).project !== project.name) throw new HttpError(400, 'invalid_request', `Task ${dep} belongs to another project.`);
        return { task: store.backlog.add({ project: project.name, ...body, source: 'manual', sourceId: null }).task };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/portfolio/tasks/:task',
      scope: 'write',
      summary: 'Edit a backlog task (title, description, type, priority), or set it pending or deferred.',
      body: editBacklogTaskSchema,
      status: 200,
      response: responses.backlogTask,
      handle: ({ c, body }) => {
        const { status, ...changes } = body;
        let task = store.backlog.edit(taskOf(c.req.param('task')).id, changes);
        if (status !== undefined) task = store.backlog.setStatus(task.id, status, status === 'deferred' ? 'deferred by hand' : null);
        return { task };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/portfolio/tasks/:task/defer',
      scope: 'write',
      summary: 'Defer a backlog task: cycles leave it alone until it is set pending again.',
      status: 200,
      response: responses.backlogTask,
      handle: ({ c }) => ({ task: store.backlog.setStatus(taskOf(c.req.param('task')).id, 'deferred', 'deferred by hand') }),
    }),
    defineRoute({
      method: 'get',
      path: '/portfolio/projects/:name/cycles',
      scope: 'read',
      summary: "A project's cycles, newest first: each is a run (strategy cycle) with its reservation, cost and result.",
      status: 200,
      response: responses.cycles,
      handle: ({ c }) => ({ cycles: cycleSummaries(store, projectOf(c.req.param('name')).name) }),
    }),
  ];
}
