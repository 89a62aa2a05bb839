// Every agent orch drives, described once as data: its name, its `agents.<name>` config section (with zod's own
// defaults), its program, how to install it, what authenticates it and what it can do. The config schema, the
// `agent` enum, `orch init`'s template and the README's agent table derive from this list; the adapter registry
// (agents/registry.ts) is keyed by the same names, and the compiler insists it covers every one.
// It lives in domain/ because the config schema does (domain imports nothing); the code that runs a CLI lives in
// agents/. A new agent: one record here, one adapter file in agents/ and one line in agents/registry.ts.
import { z } from 'zod';
import { countRange, int32Why, rangeSchema } from './ranges.ts';

export interface AgentCapabilities {
  /** Continues its own session (AgentSpec.resumeSessionId): an interrupted attempt or a feedback round goes on where
   * it was; without, a retry starts afresh in a new worktree. */
  resume: boolean;
  /** Has a mode that cannot write (AgentSpec.readOnly), for reviewers and planners. */
  readOnly: boolean;
  /** Where an attempt's cost comes from: the agent's own figure, orch's estimate from tokens and a price table,
   * or nowhere. */
  cost: 'reported' | 'estimated' | 'none';
  /** Stops itself at a budget (AgentSpec.maxBudgetUsd); orch enforces budgets for every agent that reports a cost. */
  budget: boolean;
  /** Takes MCP servers (AgentSpec.mcp): orch's `delegate` tool is offered only to these. */
  mcp: boolean;
  /** Prints a stream of events orch parses (tool uses, tokens, sessions); otherwise plain text, shown as it came. */
  events: boolean;
}

export interface AgentRecord<Section extends z.ZodType = z.ZodType> {
  /** The product's own name, for messages and docs. */
  title: string;
  /** The `agents.<name>` section of orch.config.json, defaults included. Optional (`.optional()`) when the agent
   * has nothing to run without it; otherwise `.prefault({})`, so a missing section gets every default. */
  section: Section;
  /** The executable the section names (undefined: none configured). */
  program(section: z.output<Section>): string | undefined;
  /** What to do when the program is not found. */
  install: string;
  /** The section is missing and the agent cannot run without it: what is wrong, and an example. */
  unconfigured?: { message: string; hint: string } | undefined;
  /**
   * Variables naming the model API's base URL the CLI reads (ANTHROPIC_BASE_URL), with the vendor's own URL when
   * none is set: preflight connects to a named one, and a retry without an HTTP status is explained from them.
   */
  endpoints?: { variables: readonly string[]; vendor: string } | undefined;
  /** What authenticates it, when orch checks before a run that something does (agents/registry.ts does the check). */
  login?: string | undefined;
  capabilities: AgentCapabilities;
  /** Facts on the CLI, for the README's agent table. */
  docs?: string | undefined;
  /** A section for `orch init`'s template, when the defaults alone cannot run the agent. */
  example?: Record<string, unknown> | undefined;
  /**
   * Patterns the agent always writes into a worktree that must stay out of git (a cache), for `.git/info/exclude`.
   * orch adds them when the run starts, before any attempt: a change to that shared file during an attempt is
   * tampering.
   */
  worktreeExcludes?: readonly string[] | undefined;
}

const defineAgent = <Section extends z.ZodType>(record: AgentRecord<Section>): AgentRecord<Section> => record;

const env = (meaning = 'Extra environment for the agent.') => z.record(z.string(), z.string()).default({}).describe(meaning);
const binary = (program: string, title: string) => z.string().min(1).default(program).describe(`Path or name of the ${title} executable.`);
const model = () =>
  z.string().min(1).optional().describe('Model for this agent when the run names none (--model, agent:model); comes before the global `model`.');

const tokenPriceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per million uncached input tokens.'),
    cachedInput: z.number().nonnegative().describe('USD per million cached input tokens.'),
    output: z.number().nonnegative().describe('USD per million output tokens, reasoning included.'),
    cacheWrite: z.number().nonnegative().optional().describe('USD per million input tokens written to the prompt cache; default: the input price.'),
  })
  .strict();
const prices = (title: string, what = `${title} reports tokens only, so its cost is an estimate`) =>
  z.record(z.string(), tokenPriceSchema).optional().describe(`Token prices per model, over the built-in table: ${what}.`);

const claude = defineAgent({
  title: 'Claude Code',
  section: z
    .object({
      binary: binary('claude', 'Claude Code'),
      model: model(),
      maxTurns: rangeSchema(countRange(1, 2 ** 31 - 1, int32Why)).optional().describe('Passed as --max-turns.'),
      maxRetries: rangeSchema(countRange(0, 100))
        .default(2)
        .describe("Claude Code's own API retries (CLAUDE_CODE_MAX_RETRIES); orch retries on top of these."),
      env: env(),
      prices: prices('Claude Code', 'Claude Code reports its cost only when it ends, so orch prices each turn while it works'),
    })
    .strict()
    .prefault({}),
  program: (section) => section.binary,
  install: 'Install Claude Code (npm install -g @anthropic-ai/claude-code) or set agents.claude.binary.',
  endpoints: { variables: ['ANTHROPIC_BASE_URL'], vendor: 'https://api.anthropic.com' },
  login: 'ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN or a `claude` login',
  capabilities: { resume: true, readOnly: true, cost: 'reported', budget: true, mcp: true, events: true },
  docs: 'docs/agents/claude-code.md',
});

const codex = defineAgent({
  title: 'Codex CLI',
  section: z
    .object({
      binary: binary('codex', 'Codex CLI'),
      model: model(),
      env: env("Extra environment for the agent. CODEX_HOME here selects a Codex home; default: the user's own (~/.codex)."),
      prices: prices('Codex'),
    })
    .strict()
    .prefault({}),
  program: (section) => section.binary,
  install: 'Install Codex (npm install -g @openai/codex) or set agents.codex.binary.',
  endpoints: { variables: ['OPENAI_BASE_URL'], vendor: 'https://api.openai.com' },
  login: 'CODEX_API_KEY, CODEX_ACCESS_TOKEN, a `codex login` or a provider of its own in config.toml',
  capabilities: { resume: true, readOnly: true, cost: 'estimated', budget: false, mcp: false, events: true },
  docs: 'docs/agents/codex.md',
});

const command = defineAgent({
  title: 'any program',
  section: z
    .object({
      argv: z
        .array(z.string())
        .min(1)
        .describe('The program and its arguments. "{prompt}" in an element is replaced by the prompt (argv, never a shell).'),
      promptVia: z.enum(['argv', 'stdin']).default('argv').describe('Where the prompt goes when no "{prompt}" placeholder is used.'),
      model: z.string().min(1).optional().describe('Given to the program as ORCH_MODEL when the run names no model.'),
      env: env('Extra environment for the program.'),
    })
    .strict()
    .optional(),
  program: (section) => section?.argv[0],
  install: 'Fix agents.command.argv[0] in orch.config.json.',
  unconfigured: {
    message: "The 'command' agent needs agents.command.argv in orch.config.json.",
    hint: 'For example: "agents": { "command": { "argv": ["my-agent", "--task", "{prompt}"] } }',
  },
  capabilities: { resume: false, readOnly: false, cost: 'none', budget: false, mcp: false, events: false },
  example: { argv: ['my-agent', '--task', '{prompt}'] },
});

const aider = defineAgent({
  title: 'Aider',
  section: z
    .object({
      binary: binary('aider', 'Aider'),
      model: model(),
      env: env(
        'Extra environment for the agent: provider keys and endpoints (OPENAI_API_KEY, OPENAI_API_BASE, ANTHROPIC_API_KEY, …), which orch never puts on the command line.',
      ),
      mapTokens: rangeSchema(countRange(0, 2 ** 31 - 1, int32Why)).optional().describe("Passed as --map-tokens: the repo map's token budget; 0 turns the map off. Default: Aider's own."),
      args: z
        .array(z.string())
        .default([])
        .describe('More Aider options, added before the message (e.g. ["--edit-format", "whole"]). An option Aider does not know makes it exit 2.'),
    })
    .strict()
    .prefault({}),
  program: (section) => section.binary,
  install: 'Install Aider (python -m pip install aider-install && aider-install) or set agents.aider.binary.',
  endpoints: { variables: ['ANTHROPIC_BASE_URL', 'OPENAI_API_BASE'], vendor: 'https://api.anthropic.com' },
  capabilities: { resume: false, readOnly: true, cost: 'reported', budget: false, mcp: false, events: true },
  docs: 'docs/agents/aider.md',
  // Aider's repo-map cache (`.aider.tags.cache.v<N>`), which it writes into the repository root whatever it is told.
  worktreeExcludes: ['/.aider.tags.cache.v*/'],
});

const gemini = defineAgent({
  title: 'Gemini CLI',
  section: z
    .object({
      binary: binary('gemini', 'Gemini CLI'),
      model: model(),
      maxAttempts: rangeSchema(countRange(1, 10))
        .default(3)
        .describe("Gemini CLI's own attempts per model request (general.maxAttempts), with backoff from 5 s; orch retries on top of these."),
      env: env(
        "Extra environment for the agent. With GEMINI_API_KEY (or Vertex AI) Gemini CLI gets its own home under ORCH_HOME; without, it uses the user's ~/.gemini and its Google login.",
      ),
      prices: prices('Gemini CLI'),
    })
    .strict()
    .prefault({}),
  program: (section) => section.binary,
  install: 'Install Gemini CLI (npm install -g @google/gemini-cli) or set agents.gemini.binary.',
  endpoints: { variables: ['GOOGLE_GEMINI_BASE_URL'], vendor: 'https://generativelanguage.googleapis.com' },
  login: 'GEMINI_API_KEY, Vertex AI or a Google login (`gemini`)',
  capabilities: { resume: true, readOnly: true, cost: 'estimated', budget: false, mcp: false, events: true },
  docs: 'docs/agents/gemini-cli.md',
});

const opencode = defineAgent({
  title: 'OpenCode',
  section: z
    .object({
      binary: binary('opencode', 'OpenCode'),
      model: model(),
      env: env(
        "Extra environment for the agent (provider keys, OPENCODE_CONFIG_CONTENT). OpenCode uses the user's own config, login and sessions (~/.config/opencode, ~/.local/share/opencode).",
      ),
    })
    .strict()
    .prefault({}),
  program: (section) => section.binary,
  install: 'Install OpenCode (npm install -g opencode-ai) or set agents.opencode.binary.',
  capabilities: { resume: true, readOnly: true, cost: 'reported', budget: false, mcp: false, events: true },
  docs: 'docs/agents/opencode.md',
});

/** Every agent, in the order the docs list them. */
export const agentRecords = { claude, codex, command, aider, gemini, opencode };

export type AgentName = keyof typeof agentRecords;
export const agentNames = Object.keys(agentRecords) as [AgentName, ...AgentName[]];
/** The agent a run uses when neither the config nor a flag names one. */
export const defaultAgent: AgentName = 'claude';

export function isAgentName(name: string): name is AgentName {
  return Object.hasOwn(agentRecords, name);
}

/** The record of an agent by a name read from the store or a flag; undefined for an unknown name. */
export function agentRecord(name: string): AgentRecord | undefined {
  return isAgentName(name) ? agentRecords[name] : undefined;
}

/** The `agents` section of orch.config.json: each record's own section under its name. */
export const agentsConfigSchema = z
  .object(Object.fromEntries(agentNames.map((name) => [name, agentRecords[name].section])) as { [N in AgentName]: (typeof agentRecords)[N]['section'] })
  .strict()
  .prefault({});
