// The Codex adapter: `codex exec --json`, full access in its worktree (or a read-only sandbox), resumable by thread id.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import type { AgentBackend } from './backend.ts';
import { classifyExit, type FailureRules } from './classify.ts';
import { codexPath } from './codex-bwrap.ts';
import { parseCodexLine } from './codex-events.ts';
import { priceOf } from './codex-prices.ts';
import type { TokenPrice } from './token-prices.ts';

const record = agentRecords.codex;
const defaults = record.section.parse(undefined);

export interface CodexAdapterOptions {
  /** Path or name of the executable. Default: the config's (agents.codex.binary). */
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
  const argv = [options.binary ?? defaults.binary, 'exec', '--json', '--skip-git-repo-check'];
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

const failureRules: FailureRules = {
  patterns: {
    auth: /missing environment variable|invalid_api_key|incorrect api key|unauthorized|forbidden|not logged in|codex login|access token|refresh token|no codex credentials/i,
    rate_limited: /too many requests|rate limit|usage limit|quota exceeded/i,
    transient: /high demand|stream disconnected|error sending request|connection|timed out|timeout|overloaded|service unavailable|bad gateway|waiting for network/i,
  },
};

export function classifyCodexExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  return classifyExit(failureRules, exit, events);
}

export function createCodexAdapter(options: CodexAdapterOptions = {}): AgentAdapter {
  const price = priceOf(options.priceModel, options.prices);
  return {
    name: 'codex',
    supportsResume: record.capabilities.resume,
    buildInvocation: (spec) => buildCodexInvocation(spec, options),
    parse: (line) => parseCodexLine(line, price),
    classify: classifyCodexExit,
  };
}

/** A provider other than OpenAI's in config.toml brings its own key (env_key), checked by Codex at run time. */
function usesOwnProvider(codexHome: string): boolean {
  const configPath = join(codexHome, 'config.toml');
  if (!existsSync(configPath)) return false;
  const provider = /^\s*model_provider\s*=\s*["']([^"']+)["']/m.exec(readFileSync(configPath, 'utf8'))?.[1];
  return provider !== undefined && provider !== 'openai';
}

export const codexBackend: AgentBackend<'codex'> = {
  // The user's own CODEX_HOME (their login and config) unless agents.codex.env names another. The price follows the
  // model the config names; a run's own --model does not reach the parser.
  create: (section, config) => createCodexAdapter({ binary: section.binary, env: section.env, priceModel: section.model ?? config.model, prices: section.prices }),
  /**
   * Codex without a login (auth.json), a key it reads or a provider of its own sends unauthenticated requests and
   * retries for minutes. It reads CODEX_API_KEY, not OPENAI_API_KEY (measured with 0.169.0).
   */
  credentialProblem(env) {
    if (env['CODEX_API_KEY'] || env['CODEX_ACCESS_TOKEN']) return undefined;
    const codexHome = env['CODEX_HOME'] || join(homedir(), '.codex');
    if (existsSync(join(codexHome, 'auth.json')) || usesOwnProvider(codexHome)) return undefined;
    const fromOpenAI = env['OPENAI_API_KEY'] ? ' OPENAI_API_KEY is set, but Codex does not read it.' : '';
    return {
      message: `Codex is not logged in and no CODEX_API_KEY is set.${fromOpenAI}`,
      hint: 'Run `codex login` (or `printenv OPENAI_API_KEY | codex login --with-api-key`), or export CODEX_API_KEY.',
    };
  },
};
