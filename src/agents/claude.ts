// The Claude Code adapter: `claude -p … --output-format stream-json`, run headless as any user, root included.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import type { AgentBackend } from './backend.ts';
import { createClaudeParser, isClaudeStreamDetail } from './claude-events.ts';
import type { PriceTable } from './token-prices.ts';
import { classifyExit, type FailureRules } from './classify.ts';

const record = agentRecords.claude;
const defaults = record.section.parse(undefined);

export interface ClaudeAdapterOptions {
  /** Path or name of the executable. Default: the config's (agents.claude.binary). */
  binary?: string | undefined;
  /** CLAUDE_CODE_MAX_RETRIES: the CLI's own API retries. Its default of 10 with backoff keeps a run on a dead
   * server alive for minutes; orch retries attempts itself. Default: the config's (agents.claude.maxRetries). */
  maxRetries?: number | undefined;
  /** Give the CLI its own CLAUDE_CONFIG_DIR under the spec's stateDir (default). Off: the user's ~/.claude, where a
   * `claude login` (OAuth) lives; with isolation only ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN authenticate. */
  isolateConfig?: boolean | undefined;
  /** --max-turns when the spec sets none. */
  maxTurns?: number | undefined;
  /** Environment from the config's agents.claude.env; the spec's (credentials, the run's) wins over it. */
  env?: Record<string, string> | undefined;
  /** USD per million tokens over the built-in table (anthropic-prices.ts), to price turns while the agent works. */
  prices?: PriceTable | undefined;
}

/** Tools a working agent may use without asking. acceptEdits covers file edits; Bash needs its own grant. */
const workTools = ['Bash', 'Write', 'Edit', 'NotebookEdit', 'Read', 'Grep', 'Glob'];
const readTools = ['Read', 'Grep', 'Glob'];

/** Linux refuses a single argv element over 128 KiB (MAX_ARG_STRLEN); longer prompts go through stdin. */
const argvPromptLimit = 100_000;

export function buildClaudeInvocation(spec: AgentSpec, options: ClaudeAdapterOptions = {}): AgentInvocation {
  // --include-partial-messages: each request's usage as it starts and ends, so orch sees cost rise turn by turn
  // (the CLI itself reports money only in its last line).
  const argv = [options.binary ?? defaults.binary, '-p', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'];
  if (spec.model !== undefined) argv.push('--model', spec.model);
  const maxTurns = spec.maxTurns ?? options.maxTurns;
  if (maxTurns !== undefined) argv.push('--max-turns', String(maxTurns));
  if (spec.maxBudgetUsd !== undefined) argv.push('--max-budget-usd', String(spec.maxBudgetUsd));
  if (spec.resumeSessionId !== undefined) argv.push('--resume', spec.resumeSessionId);
  else if (spec.sessionId !== undefined) argv.push('--session-id', spec.sessionId);
  if (spec.readOnly === true) {
    // --tools hides the others from the model altogether, so it cannot even try to write.
    argv.push('--tools', readTools.join(','), '--allowedTools', readTools.join(','));
  } else {
    // bypassPermissions and --dangerously-skip-permissions refuse to run as root unless IS_SANDBOX=1; this does not.
    const mcpTools = spec.mcp?.tools ?? [];
    argv.push('--permission-mode', 'acceptEdits', '--allowedTools', [...workTools, ...mcpTools].join(','));
    // A file, not inline JSON: the config may name environment values that must not show in `ps`.
    if (spec.mcp !== undefined) argv.push('--mcp-config', spec.mcp.configPath);
  }
  // The prompt goes last, after `--`: `claude -p "-r…"` would read the prompt as options (here: --resume).
  const viaStdin = Buffer.byteLength(spec.prompt, 'utf8') > argvPromptLimit;
  if (!viaStdin) argv.push('--', spec.prompt);

  const env: Record<string, string | undefined> = {
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: String(options.maxRetries ?? defaults.maxRetries),
    TMPDIR: join(spec.stateDir, 'tmp'),
    ...(options.isolateConfig === false ? {} : { CLAUDE_CONFIG_DIR: join(spec.stateDir, 'config') }),
    ...options.env,
    ...spec.env,
  };
  return viaStdin ? { argv, env, stdin: spec.prompt } : { argv, env };
}

const failureRules: FailureRules = {
  errorNames: { max_turns: ['error_max_turns'], budget: ['error_max_budget_usd'] },
  patterns: {
    auth: /not logged in|invalid api key|failed to authenticate|authentication_error|permission_error|oauth token/i,
    rate_limited: /rate_limit|usage limit|hit your limit/i,
    transient: /overloaded|api_error: connection|api_error_type: api_error|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timed out/i,
  },
  // No result line (killed, crashed): its last words are all there is to go on, with its non-JSON output.
  lastWords: true,
};

export function classifyClaudeExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  return classifyExit(failureRules, exit, events);
}

export function createClaudeAdapter(options: ClaudeAdapterOptions = {}): AgentAdapter {
  return {
    name: 'claude',
    supportsResume: record.capabilities.resume,
    buildInvocation: (spec) => buildClaudeInvocation(spec, options),
    // One reader per adapter (the registry makes one per attempt or agent call): it pairs a message's start and end.
    parse: createClaudeParser(options.prices),
    isStreamDetail: isClaudeStreamDetail,
    newSessionId: () => randomUUID(),
    classify: classifyClaudeExit,
  };
}

export const claudeBackend: AgentBackend<'claude'> = {
  // The user's own CLAUDE_CONFIG_DIR (their login) unless the environment names another.
  create: (section) => createClaudeAdapter({ binary: section.binary, maxRetries: section.maxRetries, isolateConfig: false, env: section.env, prices: section.prices }),
  /** Claude Code needs a key, a token or a login; without any it fails every attempt, so say so up front. */
  credentialProblem(env) {
    if (env['ANTHROPIC_API_KEY'] || env['ANTHROPIC_AUTH_TOKEN'] || env['CLAUDE_CODE_OAUTH_TOKEN']) return undefined;
    if (existsSync(join(env['CLAUDE_CONFIG_DIR'] ?? join(homedir(), '.claude'), '.credentials.json'))) return undefined;
    return {
      message: 'Claude Code is not logged in and no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set.',
      hint: 'Run `claude` once and log in, or export ANTHROPIC_API_KEY. To try orch without a key, run `orch demo`.',
    };
  },
};
