// The Codex adapter: `codex exec --json`, full access in its worktree (or a read-only sandbox), resumable by thread id.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import { codexPath } from './codex-bwrap.ts';
import { parseCodexLine } from './codex-events.ts';
import { priceOf, type TokenPrice } from './codex-prices.ts';

export interface CodexAdapterOptions {
  /** Path or name of the executable. Default `codex`. */
  binary?: string | undefined;
  /** Environment for every invocation (agents.codex.env), under the spec's own. CODEX_HOME here or in the spec
   * selects a Codex home; by default the user's own (~/.codex, their `codex login`), which orch never writes. */
  env?: Record<string, string> | undefined;
  /** The model whose price estimates the cost (parse cannot see the spec). Default gpt-5.5, Codex's default. */
  priceModel?: string | undefined;
  /** USD per million tokens, over the built-in table (codex-prices.ts). */
  prices?: Record<string, TokenPrice> | undefined;
}

/** Linux refuses a single argv element over 128 KiB (MAX_ARG_STRLEN); longer prompts go through stdin. */
const argvPromptLimit = 100_000;

export function buildCodexInvocation(spec: AgentSpec, options: CodexAdapterOptions = {}): AgentInvocation {
  const argv = [options.binary ?? 'codex', 'exec', '--json', '--skip-git-repo-check'];
  if (spec.readOnly === true) {
    // Commands run in a read-only sandbox, patches are refused; "never" so nothing waits for an approval.
    argv.push('--sandbox', 'read-only', '--config', 'approval_policy="never"');
  } else {
    // An attempt's worktree is orch's own, and Codex's sandbox would also cut off the network (package installs).
    argv.push('--dangerously-bypass-approvals-and-sandbox');
  }
  if (spec.model !== undefined) argv.push('--model', spec.model);
  // Options go before `resume`; a non-UUID thread id would silently start a new thread named after it.
  if (spec.resumeSessionId !== undefined) argv.push('resume', spec.resumeSessionId);
  // After `--` a prompt starting with a dash is the prompt; `-` reads it from stdin.
  const viaStdin = Buffer.byteLength(spec.prompt, 'utf8') > argvPromptLimit;
  argv.push('--', viaStdin ? '-' : spec.prompt);
  const env: Record<string, string | undefined> = { ...options.env, ...spec.env };
  // Read-only commands run in Codex's own sandbox: with the bwrap Codex ships, which has the options it needs.
  if (spec.readOnly === true && env['PATH'] === undefined) {
    const path = codexPath(options.binary ?? 'codex', process.env);
    if (path !== undefined) env['PATH'] = path;
  }
  return viaStdin ? { argv, env, stdin: spec.prompt } : { argv, env };
}

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

const authPattern = /missing environment variable|invalid_api_key|incorrect api key|unauthorized|forbidden|not logged in|codex login|access token|refresh token|no codex credentials/i;
const rateLimitPattern = /too many requests|rate limit|usage limit|quota exceeded/i;
const transientPattern = /high demand|stream disconnected|error sending request|connection|timed out|timeout|overloaded|service unavailable|bad gateway|waiting for network/i;

function textsOf(result: ResultEvent | undefined, events: readonly AgentEvent[]): string {
  if (result !== undefined) return [result.text, ...result.errors].join('\n');
  return events.flatMap((event) => (event.kind === 'raw' ? [event.text] : [])).join('\n');
}

export function classifyCodexExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  const result = events.findLast((event): event is ResultEvent => event.kind === 'result');
  if (result !== undefined && !result.isError) return exit.exitCode === 0 ? 'ok' : 'fatal';

  const status = result?.apiErrorStatus ?? null;
  const text = textsOf(result, events);
  if (status === 401 || status === 403 || authPattern.test(text)) return 'auth';
  if (status === 429 || rateLimitPattern.test(text)) return 'rate_limited';
  if ((status !== null && (status >= 500 || status === 408)) || transientPattern.test(text)) return 'transient';
  if (result === undefined) {
    // Killed while Codex was retrying: the last retry says why.
    const retry = events.findLast((event) => event.kind === 'retry');
    if (retry !== undefined) {
      if (retry.status === 401 || retry.status === 403) return 'auth';
      return retry.status === 429 ? 'rate_limited' : 'transient';
    }
  }
  return 'fatal';
}

export function createCodexAdapter(options: CodexAdapterOptions = {}): AgentAdapter {
  const price = priceOf(options.priceModel, options.prices);
  return {
    name: 'codex',
    supportsResume: true,
    buildInvocation: (spec) => buildCodexInvocation(spec, options),
    parse: (line) => parseCodexLine(line, price),
    classify: classifyCodexExit,
  };
}
