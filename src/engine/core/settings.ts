// The settings a run was started with, resolved from config and flags. Stored with the run (no secrets in
// them) so that a resume runs the strategy exactly as the first time.
import { z } from 'zod';
import { selectionCriteria } from '../../domain/selection.ts';

const commandSchema = z.union([z.string(), z.array(z.string())]);

export const executorSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('queue'), redis: z.string(), priority: z.number().optional() }),
]);
export type ExecutorSetting = z.infer<typeof executorSettingSchema>;

export const runSettingsSchema = z.object({
  /** A built-in strategy name, or the absolute path of the user's strategy module. */
  strategySource: z.string(),
  /**
   * The absolute path of the config file the run was started with (`--config`), or null for the repository's
   * own orch.config.json. A resume reads the same file: the agents' commands and environment live there, and
   * they are not copied into the store (the environment may hold secrets).
   */
  configPath: z.string().nullable().default(null),
  /** Agents of this run working at once (config limits.maxAgents or --max-agents); absent in runs stored before it was kept. */
  maxAgents: z.number().int().positive().optional(),
  /** The run's total time limit in minutes, counted from each start or resume (limits.maxRunMinutes or --max-run-minutes). */
  maxRunMinutes: z.number().positive().optional(),
  agents: z.array(z.object({ agent: z.string(), model: z.string().optional() })).min(1),
  checks: z.object({
    test: commandSchema.optional(),
    lint: commandSchema.optional(),
    timeoutMs: z.number(),
    /** Where the test command came from, when orch found it in the project (e.g. "package.json's test script"). */
    foundIn: z.string().optional(),
    reruns: z.number().default(0),
    protect: z.array(z.string()).default([]),
    reports: z.array(z.string()).default([]),
    /** Runs stored before this setting merged unchecked results; new runs leave them on a branch unless asked. */
    allowUnchecked: z.boolean().default(true),
  }),
  attemptTimeoutMs: z.number(),
  idleTimeoutMs: z.number(),
  keepWorktrees: z.boolean(),
  /** Untracked setup files copied from the checkout into each attempt's worktree (config worktree.copy). Runs stored before it: none. */
  copyFiles: z.array(z.string()).default([]),
  maxTurns: z.number().optional(),
  review: z.object({ enabled: z.boolean(), agent: z.string(), model: z.string().optional() }),
  /** The planner's model when it differs from the reviewer's (plan and cycle runs). */
  plannerModel: z.string().optional(),
  /** Where this run's agents queue for the process's slots: lower first (a portfolio project's priority). */
  priority: z.number().int().optional(),
  /** Each agent's configured model (agents.<name>.model), for attempts a strategy gives an agent but no model. */
  agentModels: z.record(z.string(), z.string()).default({}),
  selectionOrder: z.array(z.enum(selectionCriteria)),
  budget: z.object({ attemptUsd: z.number().optional(), runUsd: z.number().optional() }),
  retries: z
    .object({ delaysMs: z.array(z.number()), cooldownMs: z.number(), maxRateLimitWaitMs: z.number(), stuck: z.number() })
    .default({ delaysMs: [10_000, 60_000, 360_000], cooldownMs: 60_000, maxRateLimitWaitMs: 900_000, stuck: 1 }),
  /** Delegation from inside agents: `depth` is this run's own (0 for a run a person started). */
  delegate: z
    .object({
      enabled: z.boolean(),
      maxDepth: z.number(),
      depth: z.number(),
      /** What each child run may spend when this run has no run budget (runs stored before it: the default, $2). */
      maxChildUsd: z.number().default(2),
    })
    .default({ enabled: false, maxDepth: 1, depth: 0, maxChildUsd: 2 }),
  /** The sandbox, resolved when the run was prepared ('auto' already decided). Runs stored before it: none. */
  sandbox: z
    .object({
      mode: z.enum(['none', 'bwrap']),
      agents: z.record(z.string(), z.enum(['none', 'bwrap'])),
      allowHosts: z.array(z.string()),
      checksNetwork: z.boolean(),
      maxProcesses: z.number(),
    })
    .default({ mode: 'none', agents: {}, allowHosts: [], checksNetwork: false, maxProcesses: 1024 }),
  /** Where the attempts run: on this machine, or on workers through Redis (no password stored: see distributed/). */
  executor: executorSettingSchema.default({ kind: 'local' }),
  /**
   * How the winner reaches the target: merged by orch, or (`pr`) left on its branch for a pull request that the
   * command line opens (src/github), with the GitHub repository and issue it came from. Runs stored before it: merge.
   */
  delivery: z
    .object({ mode: z.enum(['merge', 'pr']), repo: z.string().optional(), issue: z.number().int().positive().optional() })
    .default({ mode: 'merge' }),
});

export type RunSettings = z.infer<typeof runSettingsSchema>;
