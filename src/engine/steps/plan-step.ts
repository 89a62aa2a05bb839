// ctx.plan: the planner as a durable step. A plan is asked for once; on resume its tasks come from the store.
import { planGoal, planMarkdown } from '../../planner/planner.ts';
import type { PlanStepRequest, PlanStepResult } from '../../domain/strategy.ts';
import type { Plan } from '../../domain/plan.ts';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { addWorktree, deleteBranch, removeWorktree, resolveCommit } from '../../git/index.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep, type StepOutcome } from './durable.ts';
import { judgeAgentOptions } from './judge-agent.ts';
import { recordAgentCall } from './agent-call.ts';

const taskKey = (parentKey: string | undefined, id: string): string => (parentKey ? `${parentKey}/${id}` : id);

/** What a plan step keeps for a resume: the tasks by key (their rows are in the store), not the rows themselves. */
type StoredPlan = { status: 'planned'; plan: Plan; taskKeys: string[] } | Extract<PlanStepResult, { status: 'failed' }>;

export async function planStep(scope: RunScope, key: string, request: PlanStepRequest): Promise<PlanStepResult> {
  const { store, paths } = scope.deps;
  const parentKey = request.parent?.key;
  const report = `plans/${parentKey ? parentKey.replace(/\//g, '--') : 'run'}.md`;
  // The planner reads the target as committed, in a worktree of orch's own: never the user's checkout. Named from
  // the step key: two subplans at once never collide, and a retry (or a resume) finds its own leftover.
  const id = `plan-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
  const path = paths.worktree(scope.projectSlug, `${scope.runId}-${id}`);
  const branch = `orch/${scope.runId}/${id}`;
  const removeOwnWorktree = async () => {
    if (!existsSync(path)) return;
    await removeWorktree(scope.repo, path);
    await deleteBranch(scope.repo, branch);
  };
  try {
    return await durableStep<StepOutcome<PlanStepResult, StoredPlan>>(
      scope,
      key,
      { goal: request.goal.slice(0, 2000), depth: request.depth, parent: parentKey ?? null },
      async () => {
        if (scope.budget.exhausted()) {
          const spent: PlanStepResult = { status: 'failed', summary: "The run's budget is used up; no plan was asked for." };
          return { value: spent, stored: spent };
        }
        const at = await resolveCommit(scope.repo, `refs/heads/${scope.target}`);
        await removeOwnWorktree();
        await deleteBranch(scope.repo, branch);
        await addWorktree(scope.repo, { path, branch, startSha: at });
        const outcome = await scope.deps.limiter.run(
          () =>
            planGoal({
              ...judgeAgentOptions(scope, path, `plan-${parentKey ?? 'run'}`),
              ...(scope.settings.plannerModel === undefined ? {} : { model: scope.settings.plannerModel }),
              goal: request.goal,
              contextFiles: request.contextFiles,
              maxTasks: request.maxTasks,
              allowLarge: request.allowLarge,
              parentTask: request.parent ? { title: request.parent.title, description: request.parent.description } : undefined,
            }),
          scope.signal,
        );
        scope.signal.throwIfAborted();
        const title = parentKey ? `Plan for task ${parentKey}` : `Plan for run ${scope.runId}`;
        if (outcome.status === 'plan_failed') {
          recordAgentCall(scope, { kind: 'plan', stepKey: key, attemptId: null, status: outcome.status, usage: outcome.usage });
          const failed: PlanStepResult = { status: 'failed', summary: `The planner did not produce a usable plan: ${outcome.error}` };
          return { value: failed, stored: failed };
        }
        if (outcome.status === 'plan_rejected') {
          recordAgentCall(scope, { kind: 'plan', stepKey: key, attemptId: null, status: outcome.status, usage: outcome.usage });
          scope.audit.write(report, planMarkdown(title, outcome.plan, outcome.problems));
          const rejected: PlanStepResult = { status: 'failed', summary: `The plan was rejected: ${outcome.problems.map((p) => p.message).join('; ')}.` };
          return { value: rejected, stored: rejected };
        }
        // The plan, its tasks, the planner's cost and the step's completion in one transaction, before anything else
        // (the report, the worktree's removal): a plan that exists is never asked for again, however orch stops.
        const planned = store.tx(() => {
          recordAgentCall(scope, { kind: 'plan', stepKey: key, attemptId: null, status: outcome.status, usage: outcome.usage });
          const tasks = store.tasks.addMany(
            outcome.plan.tasks.map((t) => ({
              runId: scope.runId,
              parentId: request.parent?.id ?? null,
              key: taskKey(parentKey, t.id),
              title: t.title,
              description: t.description,
              type: t.type,
              dependsOn: t.dependsOn.map((d) => taskKey(parentKey, d)),
              files: t.files,
              acceptance: t.acceptance,
              large: t.large,
              depth: request.depth,
            })),
          );
          const stored: StoredPlan = { status: 'planned', plan: outcome.plan, taskKeys: tasks.map((t) => t.key) };
          store.steps.complete(scope.runId, key, stored);
          return { value: { status: 'planned', plan: outcome.plan, tasks } satisfies PlanStepResult, stored };
        });
        scope.audit.write(report, planMarkdown(title, outcome.plan));
        return planned;
      },
      (stored) => {
        if (stored.status === 'failed') return stored;
        return { status: 'planned', plan: stored.plan, tasks: stored.taskKeys.map((k) => store.tasks.byKey(scope.runId, k)) };
      },
    );
  } finally {
    // Also after a resume that found the plan stored: a kill before the removal left the worktree behind.
    await removeOwnWorktree();
  }
}
