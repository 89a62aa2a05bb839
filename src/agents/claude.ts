// The Claude Code adapter: `claude -p … --output-format stream-json`, run headless as any user, root included.
import { join } from 'node:path';
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import { parseClaudeLine } from './claude-events.ts';

export interface ClaudeAdapterOptions {
  /** Path or name of the executable. Default `claude`. */
  binary?: string | undefined;
  /** CLAUDE_CODE_MAX_RETRIES: the CLI's own API retries. Its default of 10 with backoff keeps a run on a dead
   * server alive for minutes; orch retries attempts itself. Default 2. */
  maxRetries?: number | undefined;
  /** Give the CLI its own CLAUDE_CONFIG_DIR under the spec's stateDir (default). Off: the user's ~/.claude, where a
   * `claude login` (OAuth) lives; with isolation only ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN authenticate. */
  isolateConfig?: boolean | undefined;
  /** --max-turns when the spec sets none. */
  maxTurns?: number | undefined;
  /** Environment from the config's agents.claude.env; the spec's (credentials, the run's) wins over it. */
  env?: Record<string, string> | undefined;
}

/** Tools a working agent may use without asking. acceptEdits covers file edits; Bash needs its own grant. */
const workTools = ['Bash', 'Write', 'Edit', 'NotebookEdit', 'Read', 'Grep', 'Glob'];
const readTools = ['Read', 'Grep', 'Glob'];

/** Linux refuses a single argv element over 128 KiB (MAX_ARG_STRLEN); longer prompts go through stdin. */
const argvPromptLimit = 100_000;

export function buildClaudeInvocation(spec: AgentSpec, options: ClaudeAdapterOptions = {}): AgentInvocation {
  const argv = [options.binary ?? 'claude', '-p', '--output-format', 'stream-json', '--verbose'];
  if (spec.model !== undefined) argv.push('--model', spec.model);
  const maxTurns = spec.maxTurns ?? options.maxTurns;
  if (maxTurns !== undefined) argv.push('--max-turns', String(maxTurns));
  if (spec.maxBudgetUsd !== undefined) argv.push('--max-budget-usd', String(spec.maxBudgetUsd));
  if (spec.resumeSessionId !== undefined) argv.push('--resume', spec.resumeSessionId);
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
    CLAUDE_CODE_MAX_RETRIES: String(options.maxRetries ?? 2),
    TMPDIR: join(spec.stateDir, 'tmp'),
    ...(options.isolateConfig === false ? {} : { CLAUDE_CONFIG_DIR: join(spec.stateDir, 'config') }),
    ...options.env,
    ...spec.env,
  };
  return viaStdin ? { argv, env, stdin: spec.prompt } : { argv, env };
}

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

const authPattern = /not logged in|invalid api key|failed to authenticate|authentication_error|permission_error|oauth token/i;
const rateLimitPattern = /rate_limit|usage limit|hit your limit/i;
const transientPattern = /overloaded|api_error: connection|api_error_type: api_error|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timed out/i;

function textsOf(result: ResultEvent | undefined, events: readonly AgentEvent[]): string {
  if (result !== undefined) return [result.text, ...result.errors].join('\n');
  // No result line (killed, crashed): its non-JSON output and last words are all there is to go on.
  const lastText = events.findLast((event) => event.kind === 'text');
  const raw = events.flatMap((event) => (event.kind === 'raw' ? [event.text] : []));
  return [...raw, lastText?.text ?? ''].join('\n');
}

export function classifyClaudeExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  const result = events.findLast((event): event is ResultEvent => event.kind === 'result');
  if (result !== undefined && !result.isError) return exit.exitCode === 0 ? 'ok' : 'fatal';
  if (result?.subtype === 'error_max_turns') return 'max_turns';
  if (result?.subtype === 'error_max_budget_usd') return 'budget';

  const status = result?.apiErrorStatus ?? null;
  const text = textsOf(result, events);
  if (status === 401 || status === 403 || authPattern.test(text)) return 'auth';
  if (status === 429 || rateLimitPattern.test(text)) return 'rate_limited';
  if ((status !== null && (status >= 500 || status === 408)) || transientPattern.test(text)) return 'transient';
  if (result === undefined) {
    // Killed while the CLI was retrying the API: the last retry says why.
    const retry = events.findLast((event) => event.kind === 'retry');
    if (retry !== undefined) return retry.status === 429 ? 'rate_limited' : 'transient';
  }
  return 'fatal';
}

export function createClaudeAdapter(options: ClaudeAdapterOptions = {}): AgentAdapter {
  return {
    name: 'claude',
    supportsResume: true,
    buildInvocation: (spec) => buildClaudeInvocation(spec, options),
    parse: parseClaudeLine,
    classify: classifyClaudeExit,
  };
}
