// plan: a planner splits the goal into a task graph; ready tasks run in parallel, each through a worker strategy,
// and merge through the refinery in dependency order. With depth > 1 a task the planner marks large is planned
// again into subtasks that merge into its own team branch, which merges upward once its checks pass.
import { z } from 'zod';
import { InterruptedError } from '../domain/errors.ts';
import { blockedBy, readyTasks } from '../domain/plan.ts';
import type { Merge, Task } from '../domain/records.ts';
import { defineStrategy, type StrategyContext, type StrategyOutcome } from '../domain/strategy.ts';
import { levelMarkdown, finalPlanMarkdown, type LevelReport } from './plan-report.ts';
import { workerStrategies } from './workers.ts';

export const planParams = z
  .object({
    // An enum, so a wrong worker is refused with the run's other bad input, and forms can offer the choice.
    worker: z.enum([...workerStrategies.keys()] as [string, ...string[]]).default('single').describe('strategy each task runs with'),
    n: z.coerce.number().int().min(1).max(50).optional().describe('n for a best-of-n or tournament worker'),
    rounds: z.coerce.number().int().min(1).max(20).optional().describe('rounds for an iterative worker'),
    depth: z.coerce.number().int().min(1).max(4).default(1).describe('how deep large tasks are planned again (1: no subplans)'),
    maxTasks: z.coerce.number().int().min(1).max(200).default(12).describe('most tasks in the whole run, all levels together'),
    retries: z.coerce.number().int().min(0).max(5).default(2).describe('times a task whose merge fails the checks goes back with the failure'),
    context: z
      .union([z.string(), z.array(z.string())])
      .default(['CLAUDE.md', 'AGENTS.md', 'BACKLOG.md', 'PROJECT_DIRECTION.md'])
      .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v))
      .describe('context files the planner reads'),
  })
  .strict();
type Params = z.infer<typeof planParams>;

export interface Level {
  ctx: StrategyContext;
  goal: string;
  target: string;
  depth: number;
  parent: Task | undefined;
}

export interface Counter {
  tasks: number;
}

function workerParams(p: Params): Record<string, unknown> {
  return { ...(p.n !== undefined && p.worker !== 'single' && p.worker !== 'iterative' ? { n: p.n } : {}), ...(p.rounds !== undefined && p.worker === 'iterative' ? { rounds: p.rounds } : {}) };
}

/** One task with the worker strategy; a merge that fails the checks sends it back with the failure. */
async function workTask(level: Level, task: Task, p: Params): Promise<{ merged: boolean; summary: string; merge?: Merge }> {
  const worker = workerStrategies.get(p.worker);
  if (worker === undefined) return { merged: false, summary: `unknown worker strategy '${p.worker}'` };
  let feedback: string | undefined;
  let last = '';
  for (let round = 0; round <= p.retries; round++) {
    const ctx = await level.ctx.forTask(task, level.target, round);
    const scoped = round === 0 ? ctx : withRound(ctx, round, feedback);
    const outcome: StrategyOutcome = await worker.execute(scoped, scoped.goal, worker.params.parse(workerParams(p)));
    last = outcome.summary;
    if (outcome.merge?.status === 'merged') return { merged: true, summary: outcome.summary, merge: outcome.merge };
    if (outcome.merge?.status !== 'checks_failed') return { merged: false, summary: outcome.summary, ...(outcome.merge ? { merge: outcome.merge } : {}) };
    // The merged tree failed the checks: the target did not move; try again with the failure as feedback.
    feedback = `Your change was merged with the work already on ${level.target}, and the merged result failed the project's checks:\n\n${outcome.merge.checks
      .filter((c) => !c.passed)
      .map((c) => `${c.name} (\`${c.command}\`, exit ${c.exitCode ?? '-'}):\n\`\`\`\n${c.outputTail.slice(-3000)}\n\`\`\``)
      .join('\n\n')}\n\nMake the change so that it works together with what is on ${level.target} now.`;
    level.ctx.note(`task ${task.key}: merge failed the checks; retry ${round + 1} of ${p.retries}`, { task: task.key });
  }
  return { merged: false, summary: `${last} (after ${p.retries} retries)` };
}

/** A task context whose step keys and attempts belong to a retry round, with the failure as feedback. */
function withRound(ctx: StrategyContext, round: number, feedback: string | undefined): StrategyContext {
  const key = (k: string) => `retry/${round}/${k}`;
  return {
    ...ctx,
    attempt: (k, request = {}) => ctx.attempt(key(k), { ...request, feedback: [feedback, request.feedback].filter(Boolean).join('\n\n') }),
    judge: (k, attempt, options) => ctx.judge(key(k), attempt, options),
    compare: (k, a, b) => ctx.compare(key(k), a, b),
    select: (k, candidates) => ctx.select(key(k), candidates),
    merge: (k, attempt) => ctx.merge(key(k), attempt),
  };
}

/** A large task: planned again into subtasks on its own team branch, which merges upward after its checks. */
async function teamTask(level: Level, task: Task, p: Params, counter: Counter, reports: LevelReport[]): Promise<{ merged: boolean; summary: string }> {
  const team = await level.ctx.teamBranch(`team/${task.key}`, task, level.target);
  const sub = await runLevel({ ctx: level.ctx, goal: `${task.title}\n\n${task.description}`, target: team, depth: level.depth + 1, parent: task }, p, counter, reports);
  if (!sub.ok) return { merged: false, summary: `its subtasks did not all land: ${sub.summary}` };
  const merge = await level.ctx.integrate(`merge/team/${task.key}`, { branch: team, intent: `${task.title}: ${task.description}`, taskKey: task.key }, level.target);
  return { merged: merge.status === 'merged', summary: merge.message };
}

export async function runLevel(level: Level, p: Params, counter: Counter, reports: LevelReport[]): Promise<{ ok: boolean; summary: string }> {
  const { ctx } = level;
  const planned = await ctx.plan(`plan/${level.parent?.key ?? 'run'}`, {
    goal: level.goal,
    depth: level.depth,
    parent: level.parent,
    maxTasks: Math.max(1, p.maxTasks - counter.tasks),
    allowLarge: level.depth < p.depth && counter.tasks < p.maxTasks,
    contextFiles: p.context,
  });
  if (planned.status === 'failed') return { ok: false, summary: planned.summary };
  const tasks = planned.tasks;
  counter.tasks += tasks.length;

  const done = new Set<string>();
  const failed = new Set<string>();
  const started = new Set<string>();
  const results = new Map<string, string>();
  const running = new Map<string, Promise<void>>();
  let fatal: Error | undefined;
  for (;;) {
    if (fatal !== undefined) {
      await Promise.allSettled(running.values());
      break;
    }
    const blocked = blockedBy(tasks.map((t) => ({ id: t.key, dependsOn: t.dependsOn })), failed);
    for (const key of blocked) {
      if (started.has(key)) continue;
      started.add(key);
      const task = tasks.find((t) => t.key === key);
      if (task) ctx.setTaskStatus(task, 'blocked', 'a task it depends on failed');
      results.set(key, 'blocked: a task it depends on failed');
    }
    const ready = readyTasks(tasks.map((t) => ({ id: t.key, dependsOn: t.dependsOn, task: t })), done, started);
    for (const { task } of ready) {
      started.add(task.key);
      if (task.status !== 'merged' && task.status !== 'running') ctx.setTaskStatus(task, 'running');
      const work = task.large && level.depth < p.depth ? teamTask(level, task, p, counter, reports) : workTask(level, task, p);
      running.set(
        task.key,
        work.then(
          (result) => {
            running.delete(task.key);
            results.set(task.key, result.summary);
            if (result.merged) done.add(task.key);
            else failed.add(task.key);
            ctx.setTaskStatus(task, result.merged ? 'merged' : 'failed', result.summary);
          },
          (error: unknown) => {
            running.delete(task.key);
            // The run is stopping: no new task starts; the error is raised once the others have settled.
            if (ctx.signal.aborted || error instanceof InterruptedError) {
              fatal ??= error instanceof Error ? error : new InterruptedError(String(error));
              return;
            }
            // One task's error is that task's failure, not the run's: its siblings go on.
            const message = `error: ${(error as Error).message}`;
            results.set(task.key, message);
            failed.add(task.key);
            ctx.setTaskStatus(task, 'failed', message);
          },
        ),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (fatal !== undefined) throw fatal;
  const report: LevelReport = { depth: level.depth, parent: level.parent?.key ?? null, target: level.target, plan: planned.plan, tasks, results, timeline: ctx.tasksTimeline(tasks.map((t) => t.key)), path: '' };
  report.path = ctx.writeReport(`levels/${level.depth}-${level.parent?.key.replace(/\//g, '--') ?? 'run'}.md`, levelMarkdown(report));
  reports.push(report);
  const ok = failed.size === 0 && done.size === tasks.length;
  return { ok, summary: ok ? `all ${tasks.length} tasks merged into ${level.target}` : `${done.size} of ${tasks.length} tasks merged into ${level.target}; failed: ${[...failed, ...[...started].filter((k) => !done.has(k) && !failed.has(k))].join(', ')}` };
}

export const plan = defineStrategy({
  name: 'plan',
  description: 'A planner splits the goal into a task graph; tasks run in parallel through a worker strategy and merge in dependency order through the refinery.',
  params: planParams,
  async execute(ctx, goal, p) {
    if (!workerStrategies.has(p.worker)) return { status: 'failed', summary: `Unknown worker strategy '${p.worker}' (use: ${[...workerStrategies.keys()].join(', ')}).` };
    const reports: LevelReport[] = [];
    const outcome = await runLevel({ ctx, goal, target: ctx.target, depth: 1, parent: undefined }, p, { tasks: 0 }, reports);
    ctx.writeReport('plan-result.md', finalPlanMarkdown(goal, outcome, reports));
    return { status: outcome.ok ? 'succeeded' : 'failed', summary: `Plan run: ${outcome.summary}.` };
  },
});
