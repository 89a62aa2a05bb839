// The planner: a read-only agent reads the repository, the goal and the project's context files and answers
// with a plan (zod-validated, one repair round for malformed JSON). A plan whose graph is unsound — an unknown
// dependency, a cycle — is rejected with a report that names the problem.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fence, renderPrompt } from '../agents/prompt-template.ts';
import { structuredCall, type AgentCallOptions, type CallUsage } from '../agents/structured-call.ts';
import { graphProblems, planSchema, type GraphProblem, type Plan } from '../domain/plan.ts';

export interface PlanRequest extends AgentCallOptions {
  goal: string;
  /** Files to read for context (CLAUDE.md, AGENTS.md, a backlog), relative to `cwd`; missing ones are skipped. */
  contextFiles: readonly string[];
  maxTasks: number;
  /** Whether the planner may mark tasks `large` (there is depth left to plan them again). */
  allowLarge: boolean;
  /** For a subplan: the parent task this plan splits. */
  parentTask?: { title: string; description: string } | undefined;
}

export type PlanOutcome =
  | { status: 'planned'; plan: Plan; usage: CallUsage }
  | { status: 'plan_failed'; error: string; usage: CallUsage }
  | { status: 'plan_rejected'; plan: Plan; problems: GraphProblem[]; usage: CallUsage };

const maxContextChars = 20_000;

async function contextBlock(cwd: string, files: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    const text = await readFile(join(cwd, file), 'utf8').catch(() => null);
    if (text !== null) parts.push(`### ${file}\n\n${fence(text.length > maxContextChars ? `${text.slice(0, maxContextChars)}\n… (cut)` : text)}`);
  }
  return parts.length > 0 ? parts.join('\n\n') : '(none found)';
}

export async function planGoal(request: PlanRequest): Promise<PlanOutcome> {
  const { goal, contextFiles, maxTasks, allowLarge, parentTask, ...agent } = request;
  const prompt = renderPrompt('planner', {
    goal: fence(goal),
    scope: parentTask ? `## This plan splits one task of a larger plan\n\n${fence(`${parentTask.title}\n\n${parentTask.description}`)}\n\nPlan only this task.` : '',
    context: await contextBlock(agent.cwd, contextFiles),
    maxTasks: String(maxTasks),
    largeRule: allowLarge
      ? 'A task too big for one worker may be marked `"large": true`: it will be planned again into subtasks.'
      : 'Do not mark tasks large: there is no depth left to split them further (`"large": false`).',
  });
  const outcome = await structuredCall({ ...agent, prompt, schema: planSchema });
  if (!outcome.ok) return { status: 'plan_failed', error: outcome.error, usage: outcome.usage };
  const plan = outcome.value;
  const problems = graphProblems(plan.tasks);
  if (plan.tasks.length > maxTasks) problems.push({ kind: 'too_many', message: `the plan has ${plan.tasks.length} tasks; at most ${maxTasks} are allowed` });
  if (problems.length > 0) return { status: 'plan_rejected', plan, problems, usage: outcome.usage };
  if (!allowLarge) plan.tasks = plan.tasks.map((t) => ({ ...t, large: false }));
  return { status: 'planned', plan, usage: outcome.usage };
}

/** The plan document of the audit trail: what was found, proposed, deferred and why, and the risks. */
export function planMarkdown(title: string, plan: Plan, problems: readonly GraphProblem[] = []): string {
  const tasks = plan.tasks
    .map((t) => `### ${t.id}: ${t.title} (${t.type}${t.large ? ', large' : ''})\n\n${t.description}\n\n- depends on: ${t.dependsOn.join(', ') || 'nothing'}\n- files: ${t.files.join(', ') || '-'}\n- acceptance: ${t.acceptance || '-'}`)
    .join('\n\n');
  const deferred = plan.deferred.map((d) => `- ${d.item}: ${d.why}`).join('\n') || '- nothing';
  const risks = plan.risks.map((r) => `- ${r}`).join('\n') || '- none named';
  const rejected = problems.length > 0 ? `\n## REJECTED\n\n${problems.map((p) => `- ${p.message}`).join('\n')}\n` : '';
  return `# ${title}\n${rejected}\n## What the planner found\n\n${plan.found}\n\n## What it proposes\n\n${plan.proposal}\n\n## Deferred\n\n${deferred}\n\n## Risks\n\n${risks}\n\n## Tasks\n\n${tasks}\n`;
}
