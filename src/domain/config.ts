// One schema for orch.config.json and the CLI flags. It validates, documents (the README's reference is written
// from it) and compiles user options into the normalised Settings the engine uses.
import { z } from 'zod';
import { agentNames, agentsConfigSchema, defaultAgent } from './agent-records.ts';
import { countRange, delayRange, durationRange, maxAgentsRange, rangeSchema, runMinutesRange, usdRange } from './ranges.ts';
import { isInvisibleOnly } from './text-checks.ts';
import { defaultSelectionOrder, selectionCriteria } from './selection.ts';

/** A check command: a string runs through /bin/sh in the worktree (it is the user's own command, never task
 * text); an array runs as argv. */
const commandSchema = z.union([
  z.string().refine((text) => !isInvisibleOnly(text), 'a check command cannot be empty or blank; leave it out to let orch find the project\'s own'),
  z.array(z.string().min(1)).min(1),
]);

/** A path inside the repository, relative to its root: what `worktree.copy` names. */
const repositoryFileSchema = z
  .string()
  .min(1)
  .refine((path) => !/[\0\r\n]/.test(path), 'a path cannot hold a NUL or a line break')
  .refine((path) => !path.startsWith('/'), 'give the path relative to the repository root, e.g. ".env"')
  .refine((path) => path.split('/').every((part) => part !== '..' && part !== ''), 'the path must stay inside the repository (no "..", no empty parts)')
  .refine((path) => !['.git', '.orch'].includes(path.split('/')[0] ?? '') && path !== '.', "the path cannot be '.', or lie in .git or .orch");

export const sandboxModes = ['auto', 'none', 'bwrap'] as const;
export type SandboxSetting = (typeof sandboxModes)[number];

const sandboxConfigSchema = z
  .object({
    mode: z
      .enum(sandboxModes)
      .default('auto')
      .describe('Where agents and checks run: bwrap (bubblewrap: only their worktree writable, only allowed hosts), none (your own rights), auto (bwrap where it works, else none with a warning).'),
    agents: z.record(z.string(), z.enum(sandboxModes)).default({}).describe('The mode per agent, over `mode` (e.g. { "aider": "none" }).'),
    allowHosts: z
      .array(z.string().min(1))
      .default([])
      .describe("Hosts sandboxed agents may reach besides their model API (host, host:port or *.domain); 127.0.0.1:port forwards a local port."),
    maxProcesses: rangeSchema(countRange(32, 4_194_304, 'the largest pid Linux allows')).default(1024).describe('Most processes and threads at once in one sandbox (a fork bomb stops there).'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    agent: z.enum(agentNames).default(defaultAgent).describe('The agent that works on attempts.'),
    model: z.string().min(1).optional().describe('Model for an agent when neither the run (--model, agent:model) nor agents.<name>.model names one (e.g. sonnet, opus).'),
    target: z.string().min(1).optional().describe('Branch the winning attempt merges into. Default: the checked-out branch.'),
    base: z.string().min(1).optional().describe('Ref attempts start from. Default: the target branch.'),
    runBranch: z
      .boolean()
      .default(false)
      .describe('Land each run on a new `run/<date-time>` branch made from the base (the target branch), so no existing branch moves until you merge it (`--run-branch`).'),
    checks: z
      .object({
        test: commandSchema.optional().describe('Test command, run in the attempt worktree.'),
        lint: commandSchema.optional().describe('Lint command, run in the attempt worktree.'),
        timeoutSeconds: rangeSchema(durationRange).default(600).describe('Limit for each check command.'),
        reruns: rangeSchema(countRange(0, 5)).default(1).describe('Times a failing check is run again; one that fails, then passes, is recorded as flaky.'),
        protect: z
          .array(z.string().min(1))
          .default([])
          .describe("More files that define the checks (globs, e.g. \"qa/**\"), beside tests and the check tools' config: an attempt that changes one is checked again with the base's version and never merged unreviewed."),
        reports: z
          .array(z.string().min(1))
          .default([])
          .describe('Per-test reports the check commands write (JUnit XML or a JSON reporter, paths in the worktree); TAP and node --test output are read from stdout.'),
        allowUnchecked: z
          .boolean()
          .default(false)
          .describe('Merge even when no check ran (none configured or found) and no reviewer passed the change. Default: the result stays on orch/<run>/result.'),
        network: z.boolean().default(false).describe("Let sandboxed check commands use the machine's network (off: no network at all)."),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        attemptSeconds: rangeSchema(durationRange).default(1800).describe('Total time limit of one attempt.'),
        idleSeconds: rangeSchema(durationRange).default(300).describe('An attempt with no output for this long is stuck and stopped.'),
      })
      .strict()
      .prefault({}),
    agents: agentsConfigSchema,
    keepWorktrees: z.boolean().default(false).describe('Keep attempt worktrees after the run (branches are always kept).'),
    worktree: z
      .object({
        copy: z
          .array(repositoryFileSchema)
          .default(['.env', '.env.local'])
          .describe(
            "Untracked setup files (or folders) of your checkout copied into every attempt's worktree before the agent starts; those missing are skipped. They are kept out of git (.git/info/exclude), never committed or merged; a change that adds one or its values is not merged.",
          ),
      })
      .strict()
      .prefault({}),
    review: z
      .object({
        enabled: z.boolean().default(false).describe('Ask the AI reviewer (a read-only agent) to score every judged attempt.'),
        agent: z.string().min(1).optional().describe('Agent that reviews and compares. Default: the first run agent.'),
        model: z.string().min(1).optional().describe('Model for the reviewer (a cheaper one is fine).'),
      })
      .strict()
      .prefault({}),
    planner: z
      .object({
        model: z.string().min(1).optional().describe("Model for the planner of plan and cycle runs (default: the reviewer's)."),
      })
      .strict()
      .prefault({}),
    selection: z
      .object({
        order: z
          .array(z.enum(selectionCriteria))
          .min(1)
          .default([...defaultSelectionOrder])
          .describe('How the winner is chosen, first criterion first: checks, review, score, lines (fewer wins), finish (earlier wins).'),
      })
      .strict()
      .prefault({}),
    budget: z
      .object({
        attemptUsd: rangeSchema(usdRange).optional().describe('Most one attempt may spend (passed to agents that enforce it; enforced by orch too).'),
        runUsd: rangeSchema(usdRange).optional().describe('Most a run may spend: no attempt starts past it, running ones stop.'),
      })
      .strict()
      .prefault({}),
    retries: z
      .object({
        delaysSeconds: z
          .array(rangeSchema(delayRange))
          .max(100)
          .default([10, 60, 360])
          .describe('Waits before retrying an attempt whose agent failed for a passing reason (overloaded, 5xx, a cut stream); jitter is added. Never for auth or budget failures.'),
        cooldownSeconds: rangeSchema(delayRange).default(60).describe('How long a rate-limited credential rests when the agent does not say.'),
        maxRateLimitWaitSeconds: rangeSchema(delayRange).default(900).describe('Longest an attempt waits for a credential to come off cooldown before failing rate_limited.'),
        stuck: rangeSchema(countRange(0, 100)).default(1).describe('Times a stuck attempt (no output within the idle limit) is killed and tried again.'),
      })
      .strict()
      .prefault({}),
    patrol: z
      .object({
        pauseAfterFailures: rangeSchema(countRange(0, 1_000_000)).default(5).describe('Pause the project after this many failed runs in a row (0: never).'),
      })
      .strict()
      .prefault({}),
    delegate: z
      .object({
        enabled: z.boolean().default(false).describe('Offer Claude Code agents a `delegate` tool (MCP) that hands a sub-goal to orch as a child run.'),
        maxDepth: rangeSchema(countRange(1, 5)).default(1).describe('How many levels of child runs delegation may open.'),
        maxChildCostUsd: rangeSchema(usdRange)
          .default(2)
          .describe("The budget of each child run (US dollars) when the parent run has no run budget; with one, a child gets what the parent has left."),
      })
      .strict()
      .prefault({}),
    sandbox: sandboxConfigSchema.prefault({}),
    executor: z
      .object({
        kind: z.enum(['local', 'queue']).default('local').describe('Where attempts run: local (this machine) or queue (`orch worker` machines through BullMQ on Redis; the repository must be given by URL). `--executor` overrides it.'),
        redis: z.string().optional().describe('The queue\'s Redis URL (redis:// or rediss://, no password in it: set ORCH_REDIS_PASSWORD). `--redis` overrides it.'),
        priority: z
          .number()
          .int()
          .min(1)
          .max(2_097_152)
          .optional()
          .describe("This project's attempts are taken before those of projects with a larger number (1 first); none: after every prioritised one."),
      })
      .strict()
      .refine((executor) => executor.kind === 'local' || executor.redis !== undefined, { message: 'executor.kind "queue" needs executor.redis (a redis:// URL)', path: ['redis'] })
      .prefault({}),
    limits: z
      .object({
        maxAgents: rangeSchema(maxAgentsRange).default(4).describe("One run's agents working at once (`--max-agents` overrides it); more wait in a queue. `orch serve --max-agents` caps all of a server's runs together."),
        maxRunMinutes: rangeSchema(runMinutesRange).optional().describe('A run\'s total time limit in minutes, counted from its start and again from each resume (`--max-run-minutes` overrides it). Past it no new attempt starts, running ones stop (reason `timed_out`) and the run ends interrupted: `orch resume` goes on.'),
      })
      .strict()
      .prefault({}),
    github: z
      .object({
        repo: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'github.repo is owner/name, e.g. "acme/widgets"')
          .optional()
          .describe('The GitHub repository as owner/name. Default: read from the `origin` remote URL.'),
        apiUrl: z.string().url().default('https://api.github.com').describe('The GitHub REST API (GitHub Enterprise: https://HOST/api/v3).'),
        deliver: z.enum(['merge', 'pr']).default('merge').describe('How a run delivers its winner: merge into the target, or push its branch and open a pull request (`--deliver`).'),
        mergeVia: z
          .enum(['none', 'github'])
          .default('none')
          .describe("With deliver pr: `github` merges the pull request through the API once its checks pass (the repository's rules decide; orch never pushes to the target); `none` leaves it to a person."),
        requiredChecks: z.array(z.string().min(1)).default([]).describe('Check runs that must have reported success on the pull request before mergeVia github merges it (besides every reported check passing).'),
        checksTimeoutSeconds: z.number().positive().default(3600).describe('Longest mergeVia github waits for the pull request\'s checks.'),
        checkPollSeconds: z.number().min(0.2).default(15).describe("How often mergeVia github asks for the pull request's checks."),
        maxBranchUpdates: z
          .number()
          .int()
          .min(0)
          .default(3)
          .describe("When the target moved and the pull request conflicts with it, mergeVia github merges the target into the pull request's branch (conflicts to the resolver agent, the checks run, only the branch is pushed) at most this many times, then gives up saying why. 0: never."),
        feedbackRounds: z
          .number()
          .int()
          .min(0)
          .max(20)
          .default(2)
          .describe("With mergeVia github: how many feedback rounds a review requesting changes or a failing check on the pull request may start (the same agent session updates the same pull request; `--feedback-rounds`). 0: orch stops at the first such review or check, as before. The run's budget bounds them too."),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type OrchConfig = z.infer<typeof configSchema>;
export type CheckCommand = z.infer<typeof commandSchema>;

export function renderCommand(command: CheckCommand): string {
  return typeof command === 'string' ? command : command.join(' ');
}
