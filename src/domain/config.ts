// One schema for orch.config.json and the CLI flags. It validates, documents (the README's reference is written
// from it) and compiles user options into the normalised Settings the engine uses.
import { z } from 'zod';
import { defaultSelectionOrder, selectionCriteria } from './selection.ts';

/** A check command: a string runs through /bin/sh in the worktree (it is the user's own command, never task
 * text); an array runs as argv. */
const commandSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const claudeAgentConfigSchema = z
  .object({
    binary: z.string().min(1).default('claude').describe('Path or name of the Claude Code executable.'),
    maxTurns: z.number().int().positive().optional().describe('Passed as --max-turns.'),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe("Claude Code's own API retries (CLAUDE_CODE_MAX_RETRIES); orch retries on top of these."),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment for the agent.'),
  })
  .strict();

const tokenPriceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per million uncached input tokens.'),
    cachedInput: z.number().nonnegative().describe('USD per million cached input tokens.'),
    output: z.number().nonnegative().describe('USD per million output tokens, reasoning included.'),
  })
  .strict();

export const codexAgentConfigSchema = z
  .object({
    binary: z.string().min(1).default('codex').describe('Path or name of the Codex CLI executable.'),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe("Extra environment for the agent. CODEX_HOME here selects a Codex home; default: the user's own (~/.codex)."),
    prices: z
      .record(z.string(), tokenPriceSchema)
      .optional()
      .describe('Token prices per model, over the built-in table: Codex reports tokens only, so its cost is an estimate.'),
  })
  .strict();

export const aiderAgentConfigSchema = z
  .object({
    binary: z.string().min(1).default('aider').describe('Path or name of the Aider executable.'),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra environment for the agent: provider keys and endpoints (OPENAI_API_KEY, OPENAI_API_BASE, ANTHROPIC_API_KEY, …), which orch never puts on the command line.'),
    mapTokens: z.number().int().min(0).optional().describe("Passed as --map-tokens: the repo map's token budget; 0 turns the map off. Default: Aider's own."),
    args: z
      .array(z.string())
      .default([])
      .describe('More Aider options, added before the message (e.g. ["--edit-format", "whole"]). An option Aider does not know makes it exit 2.'),
  })
  .strict();

export const geminiAgentConfigSchema = z
  .object({
    binary: z.string().min(1).default('gemini').describe('Path or name of the Gemini CLI executable.'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe("Gemini CLI's own attempts per model request (general.maxAttempts), with backoff from 5 s; orch retries on top of these."),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe("Extra environment for the agent. With GEMINI_API_KEY (or Vertex AI) Gemini CLI gets its own home under ORCH_HOME; without, it uses the user's ~/.gemini and its Google login."),
    prices: z
      .record(z.string(), tokenPriceSchema)
      .optional()
      .describe('Token prices per model, over the built-in table: Gemini CLI reports tokens only, so its cost is an estimate.'),
  })
  .strict();

export const opencodeAgentConfigSchema = z
  .object({
    binary: z.string().min(1).default('opencode').describe('Path or name of the OpenCode executable.'),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe("Extra environment for the agent (provider keys, OPENCODE_CONFIG_CONTENT). OpenCode uses the user's own config, login and sessions (~/.config/opencode, ~/.local/share/opencode)."),
  })
  .strict();

export const commandAgentConfigSchema = z
  .object({
    argv: z
      .array(z.string())
      .min(1)
      .describe('The program and its arguments. "{prompt}" in an element is replaced by the prompt (argv, never a shell).'),
    promptVia: z.enum(['argv', 'stdin']).default('argv').describe('Where the prompt goes when no "{prompt}" placeholder is used.'),
    env: z.record(z.string(), z.string()).default({}).describe('Extra environment for the program.'),
  })
  .strict();

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
    maxProcesses: z.number().int().min(32).default(1024).describe('Most processes and threads at once in one sandbox (a fork bomb stops there).'),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    agent: z.enum(['claude', 'codex', 'command', 'aider', 'gemini', 'opencode']).default('claude').describe('The agent that works on attempts.'),
    model: z.string().min(1).optional().describe('Model passed to the agent (e.g. sonnet, opus; gpt-5.5 for codex).'),
    target: z.string().min(1).optional().describe('Branch the winning attempt merges into. Default: the checked-out branch.'),
    base: z.string().min(1).optional().describe('Ref attempts start from. Default: the target branch.'),
    checks: z
      .object({
        test: commandSchema.optional().describe('Test command, run in the attempt worktree.'),
        lint: commandSchema.optional().describe('Lint command, run in the attempt worktree.'),
        timeoutSeconds: z.number().positive().default(600).describe('Limit for each check command.'),
        network: z.boolean().default(false).describe("Let sandboxed check commands use the machine's network (off: no network at all)."),
      })
      .strict()
      .default({ timeoutSeconds: 600, network: false }),
    timeouts: z
      .object({
        attemptSeconds: z.number().positive().default(1800).describe('Total time limit of one attempt.'),
        idleSeconds: z.number().positive().default(300).describe('An attempt with no output for this long is stuck and stopped.'),
      })
      .strict()
      .default({ attemptSeconds: 1800, idleSeconds: 300 }),
    agents: z
      .object({
        claude: claudeAgentConfigSchema.default({ binary: 'claude', maxRetries: 2, env: {} }),
        codex: codexAgentConfigSchema.default({ binary: 'codex', env: {} }),
        command: commandAgentConfigSchema.optional(),
        aider: aiderAgentConfigSchema.default({ binary: 'aider', env: {}, args: [] }),
        gemini: geminiAgentConfigSchema.default({ binary: 'gemini', maxAttempts: 3, env: {} }),
        opencode: opencodeAgentConfigSchema.default({ binary: 'opencode', env: {} }),
      })
      .strict()
      .default({
        claude: { binary: 'claude', maxRetries: 2, env: {} },
        codex: { binary: 'codex', env: {} },
        aider: { binary: 'aider', env: {}, args: [] },
        gemini: { binary: 'gemini', maxAttempts: 3, env: {} },
        opencode: { binary: 'opencode', env: {} },
      }),
    keepWorktrees: z.boolean().default(false).describe('Keep attempt worktrees after the run (branches are always kept).'),
    review: z
      .object({
        enabled: z.boolean().default(false).describe('Ask the AI reviewer (a read-only agent) to score every judged attempt.'),
        agent: z.string().min(1).optional().describe('Agent that reviews and compares. Default: the first run agent.'),
        model: z.string().min(1).optional().describe('Model for the reviewer (a cheaper one is fine).'),
      })
      .strict()
      .default({ enabled: false }),
    selection: z
      .object({
        order: z
          .array(z.enum(selectionCriteria))
          .min(1)
          .default([...defaultSelectionOrder])
          .describe('How the winner is chosen, first criterion first: checks, review, score, lines (fewer wins), finish (earlier wins).'),
      })
      .strict()
      .default({ order: [...defaultSelectionOrder] }),
    budget: z
      .object({
        attemptUsd: z.number().positive().optional().describe('Most one attempt may spend (passed to agents that enforce it; enforced by orch too).'),
        runUsd: z.number().positive().optional().describe('Most a run may spend: no attempt starts past it, running ones stop.'),
      })
      .strict()
      .default({}),
    retries: z
      .object({
        delaysSeconds: z
          .array(z.number().min(0))
          .default([10, 60, 360])
          .describe('Waits before retrying an attempt whose agent failed for a passing reason (overloaded, 5xx, a cut stream); jitter is added. Never for auth or budget failures.'),
        cooldownSeconds: z.number().min(0).default(60).describe('How long a rate-limited credential rests when the agent does not say.'),
        maxRateLimitWaitSeconds: z.number().min(0).default(900).describe('Longest an attempt waits for a credential to come off cooldown before failing rate_limited.'),
        stuck: z.number().int().min(0).default(1).describe('Times a stuck attempt (no output within the idle limit) is killed and tried again.'),
      })
      .strict()
      .default({ delaysSeconds: [10, 60, 360], cooldownSeconds: 60, maxRateLimitWaitSeconds: 900, stuck: 1 }),
    patrol: z
      .object({
        pauseAfterFailures: z.number().int().min(0).default(5).describe('Pause the project after this many failed runs in a row (0: never).'),
      })
      .strict()
      .default({ pauseAfterFailures: 5 }),
    delegate: z
      .object({
        enabled: z.boolean().default(false).describe('Offer Claude Code agents a `delegate` tool (MCP) that hands a sub-goal to orch as a child run.'),
        maxDepth: z.number().int().min(1).max(5).default(1).describe('How many levels of child runs delegation may open.'),
        maxChildCostUsd: z
          .number()
          .positive()
          .default(2)
          .describe("The budget of each child run (US dollars) when the parent run has no run budget; with one, a child gets what the parent has left."),
      })
      .strict()
      .default({ enabled: false, maxDepth: 1, maxChildCostUsd: 2 }),
    sandbox: sandboxConfigSchema.default({ mode: 'auto', agents: {}, allowHosts: [], maxProcesses: 1024 }),
    limits: z
      .object({ maxAgents: z.number().int().positive().default(4).describe('Agents running at once; more wait in a queue.') })
      .strict()
      .default({ maxAgents: 4 }),
  })
  .strict();

export type OrchConfig = z.infer<typeof configSchema>;
export type CheckCommand = z.infer<typeof commandSchema>;

export function renderCommand(command: CheckCommand): string {
  return typeof command === 'string' ? command : command.join(' ');
}
