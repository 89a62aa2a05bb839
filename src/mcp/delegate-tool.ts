// The `delegate` tool: an agent hands a sub-goal to orch, which runs it as a child run of the agent's attempt,
// starting from what the agent has committed, into a branch of its own. Bounded by depth and by the budget the
// parent run has left, worked out from the store at every call (the parent's cost includes its children's).
// The agent chooses only the goal and one of the built-in strategies: never a strategy module, a check command or
// anything else that would run code or a shell of its choosing; the child run uses the project's own checks.
import { CanceledError, OrchError } from '../domain/errors.ts';
import { delegateParent, type DelegateParent } from '../engine/core/delegate-parent.ts';
import type { Engine } from '../engine/run/engine.ts';
import { branchExists, headSha } from '../git/index.ts';
import type { McpTool } from './stdio-server.ts';

export interface DelegateContext {
  engine: Engine;
  /** The run and attempt the server was started for: names only. Depth, limits and budget are read from the store
   * at every call (engine/delegate-parent.ts), so a forged environment cannot raise them. */
  parentRunId: string;
  parentAttemptId: string;
}

/** The strategies a delegate call may name; `plan` only while the child may itself go a level deeper. */
const builtinStrategies = ['single', 'best-of-n', 'iterative', 'tournament'] as const;
const allowedArguments = new Set(['goal', 'strategy']);

const usd = (amount: number) => `$${amount.toFixed(4)}`;

export function delegateTool(context: DelegateContext): McpTool {
  return {
    name: 'delegate',
    description:
      "Hand a self-contained sub-goal to orch. orch runs it as a separate run (its own agents, the project's own checks, its own merge), starting from what you have committed, and answers with the branch that holds the result, which you can then merge with git. Calls run one at a time; each child run spends from this run's budget.",
    inputSchema: {
      type: 'object',
      properties: {
        goal: { type: 'string', description: 'The sub-goal, self-contained: what to change and how to tell it is done.' },
        strategy: { type: 'string', enum: [...builtinStrategies], description: 'single (default), best-of-n, iterative or tournament' },
      },
      required: ['goal'],
      additionalProperties: false,
    },
    // One at a time per server: each child's branch number is chosen once the previous child exists, and each
    // call sees what the earlier ones spent.
    oneAtATime: true,
    async call(args, signal) {
      if (signal.aborted) return { text: 'The delegating agent went away; no child run was started.', isError: true };
      const unknown = Object.keys(args).filter((key) => !allowedArguments.has(key));
      if (unknown.length > 0) {
        return { text: `delegate takes only a goal and a strategy, not ${unknown.join(', ')}; the child run uses the project's own checks.`, isError: true };
      }
      const goal = typeof args['goal'] === 'string' ? args['goal'].trim() : '';
      if (goal === '') return { text: 'delegate needs a non-empty goal.', isError: true };
      const { store } = context.engine;
      let parent: DelegateParent;
      try {
        parent = delegateParent(store, { runId: context.parentRunId, attemptId: context.parentAttemptId });
      } catch (error) {
        if (!(error instanceof OrchError)) throw error;
        return { text: `No child run can be started: ${error.message} Finish the work yourself.`, isError: true };
      }
      const parentRun = store.runs.get(parent.runId);

      const allowed: string[] = [...builtinStrategies, ...(parent.mayGoDeeper ? ['plan'] : [])];
      const strategy = args['strategy'] === undefined ? 'single' : args['strategy'];
      if (typeof strategy !== 'string' || !allowed.includes(strategy)) {
        return { text: `delegate's strategy must be one of: ${allowed.join(', ')} (got ${JSON.stringify(strategy)}).`, isError: true };
      }

      const parentAttempt = store.attempts.get(context.parentAttemptId);
      const base = await headSha(parentAttempt.worktree);
      const prefix = `orch/${parentRun.id}/delegate/`;
      const numbers = store.runs
        .children(parentRun.id)
        .map((child) => (child.target.startsWith(prefix) ? Number(child.target.slice(prefix.length)) : 0))
        .filter((n) => Number.isSafeInteger(n));
      let n = Math.max(0, ...numbers) + 1;
      while (await branchExists(parentRun.projectPath, `${prefix}${n}`)) n += 1;
      const target = `${prefix}${n}`;
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(new CanceledError('the delegating agent went away')), { once: true });
      try {
        const report = await context.engine.run(
          {
            repoPath: parentRun.projectPath,
            goal,
            strategy,
            base,
            target,
            // The engine checks the parent again and caps this at what the parent has left.
            maxRunCostUsd: parent.budgetUsd,
            parent: { runId: parentRun.id, attemptId: parentAttempt.id },
          },
          controller.signal,
        );
        const { run } = report;
        const files = report.attempts.flatMap((a) => a.diff?.files.map((f) => f.path) ?? []);
        if (run.status !== 'succeeded') {
          return { text: `The child run ${run.id} ended ${run.status}: ${run.reason ?? ''}. Nothing was merged into ${target}.`, isError: true };
        }
        return {
          text: `The child run ${run.id} succeeded (cost ${usd(run.costUsd)}). Its result is on branch ${target}${files.length > 0 ? `, changing ${[...new Set(files)].join(', ')}` : ''}. To bring it into your work: git merge ${target}`,
        };
      } catch (error) {
        const message = error instanceof OrchError ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : (error as Error).message;
        return { text: `The child run could not be done: ${message}`, isError: true };
      }
    },
  };
}
