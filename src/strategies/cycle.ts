// cycle: one turn of a portfolio project's loop (seed 001), a run of its own kind. The goal the portfolio writes
// holds the backlog and the results of earlier cycles; the planner plans from it, the tasks run through a worker
// strategy and merge through the refinery as in `plan`. A task the planner emits exactly as one that failed
// before is not run again: the planner must decompose it or fix a prerequisite first.
import { z } from 'zod';
import type { Task } from '../domain/records.ts';
import { defineStrategy, type StrategyContext } from '../domain/strategy.ts';
import { finalPlanMarkdown, type LevelReport } from './plan-report.ts';
import { planParams, runLevel } from './plan.ts';
import { workerStrategies } from './workers.ts';

const failedTask = z.object({ title: z.string(), description: z.string() });

const params = planParams.extend({
  project: z.string().default('').describe('the portfolio project this cycle belongs to'),
  avoid: z.array(failedTask).default([]).describe('tasks that failed in earlier cycles: emitted unchanged, they are not run'),
});

const same = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** The tasks to drop: those equal to a failed one, and what depends on them. */
function repeated(tasks: readonly Task[], avoid: readonly z.infer<typeof failedTask>[]): Set<string> {
  const failed = new Set(avoid.map((t) => `${same(t.title)}\n${same(t.description)}`));
  const drop = new Set(tasks.filter((t) => failed.has(`${same(t.title)}\n${same(t.description)}`)).map((t) => t.key));
  let grew = drop.size > 0;
  while (grew) {
    grew = false;
    for (const task of tasks) {
      if (!drop.has(task.key) && task.dependsOn.some((d) => drop.has(d))) {
        drop.add(task.key);
        grew = true;
      }
    }
  }
  return drop;
}

function refusingRepeats(ctx: StrategyContext, avoid: readonly z.infer<typeof failedTask>[]): StrategyContext {
  if (avoid.length === 0) return ctx;
  return {
    ...ctx,
    plan: async (key, request) => {
      const planned = await ctx.plan(key, request);
      if (planned.status !== 'planned') return planned;
      const drop = repeated(planned.tasks, avoid);
      for (const task of planned.tasks.filter((t) => drop.has(t.key))) {
        ctx.setTaskStatus(task, 'blocked', 'the same task failed in an earlier cycle; decompose it or fix what it needs first');
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
    const scoped = refusingRepeats(ctx, p.avoid);
    const outcome = await runLevel({ ctx: scoped, goal, target: ctx.target, depth: 1, parent: undefined }, p, { tasks: 0 }, reports);
    ctx.writeReport('plan-result.md', finalPlanMarkdown(goal, outcome, reports));
    return { status: outcome.ok ? 'succeeded' : 'failed', summary: `Cycle: ${outcome.summary}.` };
  },
});
