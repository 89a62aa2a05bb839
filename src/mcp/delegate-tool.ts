// The `delegate` tool: an agent hands a sub-goal to orch, which runs it as a child run of the agent's attempt,
// starting from what the agent has committed, into a branch of its own. Bounded by depth and by the budget the
// parent run has left.
import { CanceledError, OrchError } from '../domain/errors.ts';
import type { Engine } from '../engine/engine.ts';
import { headSha } from '../git/index.ts';
import type { McpTool } from './stdio-server.ts';

export interface DelegateContext {
  engine: Engine;
  parentRunId: string;
  parentAttemptId: string;
  depth: number;
  budgetUsd: number | undefined;
}

export function delegateTool(context: DelegateContext): McpTool {
  return {
    name: 'delegate',
    description:
      'Hand a self-contained sub-goal to orch. orch runs it as a separate run (its own agents, checks and merge), starting from what you have committed, and answers with the branch that holds the result, which you can then merge with git.',
    inputSchema: {
      type: 'object',
      properties: {
        goal: { type: 'string', description: 'The sub-goal, self-contained: what to change and how to tell it is done.' },
        strategy: { type: 'string', description: 'single (default), best-of-n, iterative or tournament' },
        testCmd: { type: 'string', description: "The check command for the sub-goal (default: the project's)." },
      },
      required: ['goal'],
    },
    async call(args, signal) {
      const goal = typeof args['goal'] === 'string' ? args['goal'].trim() : '';
      if (goal === '') return { text: 'delegate needs a non-empty goal.', isError: true };
      const { store } = context.engine;
      const parentRun = store.runs.get(context.parentRunId);
      const parentAttempt = store.attempts.get(context.parentAttemptId);
      const base = await headSha(parentAttempt.worktree);
      const n = store.runs.children(parentRun.id).length + 1;
      const target = `orch/${parentRun.id}/delegate/${n}`;
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(new CanceledError('the delegating agent went away')), { once: true });
      try {
        const report = await context.engine.run(
          {
            repoPath: parentRun.projectPath,
            goal,
            strategy: typeof args['strategy'] === 'string' ? args['strategy'] : 'single',
            base,
            target,
            ...(typeof args['testCmd'] === 'string' ? { testCmd: args['testCmd'] } : {}),
            ...(context.budgetUsd !== undefined ? { maxRunCostUsd: context.budgetUsd } : {}),
            parent: { runId: parentRun.id, attemptId: parentAttempt.id, depth: context.depth },
          },
          controller.signal,
        );
        const { run } = report;
        const files = report.attempts.flatMap((a) => a.diff?.files.map((f) => f.path) ?? []);
        if (run.status !== 'succeeded') {
          return { text: `The child run ${run.id} ended ${run.status}: ${run.reason ?? ''}. Nothing was merged into ${target}.`, isError: true };
        }
        return {
          text: `The child run ${run.id} succeeded (cost $${run.costUsd.toFixed(4)}). Its result is on branch ${target}${files.length > 0 ? `, changing ${[...new Set(files)].join(', ')}` : ''}. To bring it into your work: git merge ${target}`,
        };
      } catch (error) {
        const message = error instanceof OrchError ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : (error as Error).message;
        return { text: `The child run could not be done: ${message}`, isError: true };
      }
    },
  };
}
