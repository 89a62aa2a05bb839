// The Aider adapter: `aider --message … --yes-always --no-stream --no-auto-commits`, built from Aider's documented CLI
// (Aider is Python and is not installed where orch is tested; see docs/agents/aider.md for what rests on what).
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import { createAiderParser } from './aider-events.ts';
import { excludeAiderCache, gitLayout, historyFiles, writeMessageFile } from './aider-files.ts';
import type { AgentBackend } from './backend.ts';
import { classifyExit, type FailureRules } from './classify.ts';

const record = agentRecords.aider;
const defaults = record.section.parse(undefined);

export interface AiderAdapterOptions {
  /** Path or name of the executable. Default: the config's (agents.aider.binary). */
  binary?: string | undefined;
  /** Environment for every invocation (agents.aider.env), under the spec's own: provider keys and base URLs. */
  env?: Record<string, string> | undefined;
  /** `--map-tokens`: the repo map's token budget; 0 turns the map off. Default: aider's own. */
  mapTokens?: number | undefined;
  /** More aider options, placed before the message (e.g. `--edit-format whole`). */
  args?: readonly string[] | undefined;
}

/** Linux refuses a single argv element over 128 KiB (MAX_ARG_STRLEN); longer prompts go through --message-file. */
const argvPromptLimit = 100_000;

/**
 * Options that keep an unattended aider from prompting, committing, editing files of the user's or phoning home.
 * `--yes-always` answers every question yes, except running shell commands (those need an explicit yes).
 */
const headless = [
  '--yes-always',
  '--no-stream',
  '--no-pretty',
  '--no-auto-commits',
  '--no-dirty-commits',
  '--no-gitignore',
  '--no-check-update',
  '--no-show-release-notes',
  '--no-analytics',
  '--no-show-model-warnings',
  '--no-detect-urls',
  '--no-suggest-shell-commands',
];

export function buildAiderInvocation(spec: AgentSpec, options: AiderAdapterOptions = {}): AgentInvocation {
  const history = historyFiles(spec.stateDir, spec.cwd);
  const argv = [options.binary ?? defaults.binary, ...headless, '--chat-history-file', history.chat, '--input-history-file', history.input];
  if (spec.model !== undefined) argv.push('--model', spec.model);
  // The repo map caches into the repository root. In orch's worktrees that is excluded from git; in the user's own
  // checkout (a comparison runs there) there is no map, so nothing is written into it.
  const layout = gitLayout(spec.cwd);
  const mapTokens = layout.kind === 'main' ? 0 : options.mapTokens;
  if (mapTokens !== undefined) argv.push('--map-tokens', String(mapTokens));
  if (layout.kind === 'linked') excludeAiderCache(layout.commonDir);
  // Ask mode answers without editing; --dry-run writes nothing even if an edit slipped through.
  if (spec.readOnly === true) argv.push('--chat-mode', 'ask', '--dry-run');
  argv.push(...(options.args ?? []));
  // One element, "--message=<prompt>": argparse would take `--message -x…` for an option and exit 2.
  if (Buffer.byteLength(spec.prompt, 'utf8') > argvPromptLimit) argv.push('--message-file', writeMessageFile(spec.stateDir, spec.prompt));
  else argv.push(`--message=${spec.prompt}`);
  // Keys and base URLs (OPENAI_API_KEY, OPENAI_API_BASE, ANTHROPIC_API_KEY, …) travel in the environment, never argv.
  return { argv, env: { ...options.env, ...spec.env } };
}

/**
 * Aider exits 0 after `--message` even when the model call failed (it prints the error and returns), so the exit code
 * says little: what counts is whether the last thing reported was a usage report or an error. A non-zero exit is
 * its own failure (2: argparse refused an option, from an aider older than the options orch passes; 1: a setup
 * error); killed (exit code null) after a clean report, orch's own limit (timed out, stuck) says why.
 */
const failureRules: FailureRules = {
  exitCodeFirst: true,
  // The final error, or the last one before a kill while aider was retrying: litellm's exception names.
  errorNames: {
    auth: ['AuthenticationError', 'PermissionDeniedError', 'no_model'],
    rate_limited: ['RateLimitError', 'RouterRateLimitError'],
    budget: ['BudgetExceededError'],
    transient: ['APIConnectionError', 'APIError', 'APIResponseValidationError', 'InternalServerError', 'ServiceUnavailableError', 'Timeout'],
  },
};

export function classifyAiderExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  return classifyExit(failureRules, exit, events);
}

export function createAiderAdapter(options: AiderAdapterOptions = {}): AgentAdapter {
  // The parser keeps running totals: one per adapter, and the registry makes an adapter per invocation.
  const parse = createAiderParser();
  return {
    name: 'aider',
    // --restore-chat-history replays a markdown transcript; a retry starts aider afresh in the same worktree instead.
    supportsResume: record.capabilities.resume,
    buildInvocation: (spec) => buildAiderInvocation(spec, options),
    parse,
    classify: classifyAiderExit,
  };
}

export const aiderBackend: AgentBackend<'aider'> = {
  create: (section) => createAiderAdapter({ binary: section.binary, env: section.env, mapTokens: section.mapTokens, args: section.args }),
};
