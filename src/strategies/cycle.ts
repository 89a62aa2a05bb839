// cycle: one turn of a portfolio project's loop (seed 001), a run of its own kind. The goal the portfolio writes
// holds the backlog and the results of earlier cycles; the planner plans from it, the tasks run through a worker
// strategy and merge through the refinery as in `plan`. A task the planner emits exactly as one that failed
// before is not run again: the planner must decompose it or fix a prerequisite first. Nor is one that names a
// backlog item that left the backlog (its GitHub issue closed or unlabelled): the reason is recorded on the task.
import { z } from 'zod';
import type { Task } from '../domain/records.ts';
import { defineStrategy, type StrategyContext } from '../domain/strategy.ts';
import { finalPlanMarkdown, type LevelReport } from './plan-report.ts';
import { planParams, runLevel } from './plan.ts';
import { workerStrategies } from './workers.ts';

const failedTask = z.object({ title: z.string(), description: z.string() });
const closedItem = z.object({ key: z.string().regex(/^B\d+$/), reason: z.string() });

const params = planParams.extend({
  project: z.string().default('').describe('the portfolio project this cycle belongs to'),
  avoid: z.array(failedTask).default([]).describe('tasks that failed in earlier cycles: emitted unchanged, they are not run'),
  closed: z.array(closedItem).default([]).describe('backlog items that left the backlog (key B<id>, why): a task naming one (B<id> or B<id>.n) is not run'),
});

const same = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Why a task is not run, if it is not: equal to a failed one, or naming a backlog item that left. */
function refusal(task: Task, failed: ReadonlySet<string>, closed: readonly z.infer<typeof closedItem>[]): string | null {
  if (failed.has(`${same(task.title)}\n${same(task.description)}`)) return 'the same task failed in an earlier cycle; decompose it or fix what it needs first';
  const item = closed.find((c) => task.key === c.key || task.key.startsWith(`${c.key}.`));
  return item === undefined ? null : `backlog item ${item.key} is not open: ${item.reason}`;
}

/** The tasks to drop with the reason: those refused, and what depends on them. */
function refused(tasks: readonly Task[], avoid: readonly z.infer<typeof failedTask>[], closed: readonly z.infer<typeof closedItem>[]): Map<string, string> {
  const failed = new Set(avoid.map((t) => `${same(t.title)}\n${same(t.description)}`));
  const drop = new Map<string, string>();
  for (const task of tasks) {
    const why = refusal(task, failed, closed);
    if (why !== null) drop.set(task.key, why);
  }
  let grew = drop.size > 0;
  while (grew) {
    grew = false;
    for (const task of tasks) {
      const on = task.dependsOn.find((d) => drop.has(d));
      if (!drop.has(task.key) && on !== undefined) {
        drop.set(task.key, `it depends on ${on}, which is not run: ${drop.get(on) ?? ''}`);
        grew = true;
      }
    }
  }
  return drop;
}

function refusingRepeats(ctx: StrategyContext, avoid: readonly z.infer<typeof failedTask>[], closed: readonly z.infer<typeof closedItem>[]): StrategyContext {
  if (avoid.length === 0 && closed.length === 0) return ctx;
  return {
    ...ctx,
    plan: async (key, request) => {
      const planned = await ctx.plan(key, request);
      if (planned.status !== 'planned') return planned;
      const drop = refused(planned.tasks, avoid, closed);
      for (const task of planned.tasks) {
        const why = drop.get(task.key);
        if (why !== undefined) ctx.setTaskStatus(task, 'blocked', why);
      }
      return { ...planned, tasks: planned.tasks.filter((t) => !drop.has(t.key)) };
    },
  };
}

export const cycle = defineStrategy({
  name: 'cycle',
  description: "One cycle of a portfolio project: plan from the backlog and earlier cycles' results, work the tasks in parallel, judge, merge.",
  params,
  async execute(ctx, goal, p) {
    if (!workerStrategies.has(p.worker)) return { status: 'failed', summary: `Unknown worker strategy '${p.worker}' (use: ${[...workerStrategies.keys()].join(', ')}).` };
    const reports: LevelReport[] = [];
    const scoped = refusingRepeats(ctx, p.avoid, p.closed);
    const outcome = await runLevel({ ctx: scoped, goal, target: ctx.target, depth: 1, parent: undefined }, p, { tasks: 0 }, reports);
    ctx.writeReport('plan-result.md', finalPlanMarkdown(goal, outcome, reports));
    return { status: outcome.ok ? 'succeeded' : 'failed', summary: `Cycle: ${outcome.summary}.` };
  },
});
