// The Aider adapter: `aider --message … --yes-always --no-stream --no-auto-commits`, built from Aider's documented CLI
// (Aider is Python and is not installed where orch is tested; see docs/agents/aider.md for what rests on what).
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import { createAiderParser } from './aider-events.ts';
import { excludeAiderCache, gitLayout, historyFiles, writeMessageFile } from './aider-files.ts';

export interface AiderAdapterOptions {
  /** Path or name of the executable. Default `aider`. */
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
  const argv = [options.binary ?? 'aider', ...headless, '--chat-history-file', history.chat, '--input-history-file', history.input];
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

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

const authErrors = new Set(['AuthenticationError', 'PermissionDeniedError', 'no_model']);
const rateLimitErrors = new Set(['RateLimitError', 'RouterRateLimitError']);
const transientErrors = new Set(['APIConnectionError', 'APIError', 'APIResponseValidationError', 'InternalServerError', 'ServiceUnavailableError', 'Timeout']);

/**
 * Aider exits 0 after `--message` even when the model call failed (it prints the error and returns), so the exit code
 * says little: what counts is whether the last thing reported was a usage report or an error.
 */
export function classifyAiderExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  // 2: argparse refused an option (an aider older than the options orch passes); 1: a setup error.
  if (exit.exitCode !== null && exit.exitCode !== 0) return 'fatal';
  const result = events.findLast((event): event is ResultEvent => event.kind === 'result');
  // Killed (exit code null) after a clean report: orch's own limit (timed out, stuck) says why.
  if (result === undefined || !result.isError) return exit.exitCode === 0 ? 'ok' : 'fatal';
  // An error result: the final error, or the last one before a kill while aider was retrying.
  if (authErrors.has(result.subtype) || result.apiErrorStatus === 401 || result.apiErrorStatus === 403) return 'auth';
  if (rateLimitErrors.has(result.subtype) || result.apiErrorStatus === 429) return 'rate_limited';
  if (result.subtype === 'BudgetExceededError') return 'budget';
  const status = result.apiErrorStatus;
  if (transientErrors.has(result.subtype) || (status !== null && (status >= 500 || status === 408))) return 'transient';
  return 'fatal';
}

export function createAiderAdapter(options: AiderAdapterOptions = {}): AgentAdapter {
  // The parser keeps running totals: one per adapter, and the registry makes an adapter per invocation.
  const parse = createAiderParser();
  return {
    name: 'aider',
    // --restore-chat-history replays a markdown transcript; a retry starts aider afresh in the same worktree instead.
    supportsResume: false,
    buildInvocation: (spec) => buildAiderInvocation(spec, options),
    parse,
    classify: classifyAiderExit,
  };
}
