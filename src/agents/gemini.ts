// The Gemini CLI adapter: `gemini --prompt=… --output-format stream-json`, every tool approved (yolo) in its
// worktree, or plan mode (read-only) for reviewers; resumable by session id. Facts: docs/agents/gemini-cli.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import type { AgentBackend } from './backend.ts';
import { classifyExit, type FailureRules } from './classify.ts';
import type { TokenPrice } from './token-prices.ts';
import { createGeminiParser } from './gemini-events.ts';
import { geminiCredentialProblem, geminiKeyAuth, geminiSettings, writeGeminiHome } from './gemini-settings.ts';

const record = agentRecords.gemini;
const defaults = record.section.parse(undefined);

export interface GeminiAdapterOptions {
  /** Path or name of the executable. Default: the config's (agents.gemini.binary). */
  binary?: string | undefined;
  /** Environment for every invocation (agents.gemini.env), under the spec's own. */
  env?: Record<string, string> | undefined;
  /** general.maxAttempts: the CLI's own attempts per chat request, with backoff from 5 s; orch retries attempts itself.
   * Default: the config's (agents.gemini.maxAttempts). Like maxTurns, set only in orch's own home, so only when a key is used. */
  maxAttempts?: number | undefined;
  /** model.maxSessionTurns when the spec sets no maxTurns. */
  maxTurns?: number | undefined;
  /** USD per million tokens, over the built-in table (gemini-prices.ts). */
  prices?: Record<string, TokenPrice> | undefined;
  /** The environment the CLI inherits, to tell a key from a login. Default process.env. */
  inheritedEnv?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Linux refuses a single argv element over 128 KiB (MAX_ARG_STRLEN); longer prompts go through stdin. */
const argvPromptLimit = 100_000;

/**
 * A prompt that starts with `/` runs as a slash command (`/init` rewrites it and writes GEMINI.md); one leading space
 * makes it plain text. `@path` in a prompt still inlines that workspace file: the CLI has no escape for it.
 */
function safePrompt(prompt: string): string {
  return prompt.startsWith('/') ? ` ${prompt}` : prompt;
}

export function buildGeminiInvocation(spec: AgentSpec, options: GeminiAdapterOptions = {}): AgentInvocation {
  const argv = [options.binary ?? defaults.binary, '--output-format', 'stream-json'];
  // plan: no shell, no writes outside the CLI's own plans dir, no reads outside the workspace (measured with 0.61.0).
  argv.push('--approval-mode', spec.readOnly === true ? 'plan' : 'yolo');
  if (spec.model !== undefined) argv.push('--model', spec.model);
  // An unknown id fails with exit 42 ("No previous sessions found for this project"); resume needs the same home
  // and the same cwd.
  if (spec.resumeSessionId !== undefined) argv.push('--resume', spec.resumeSessionId);
  // `--prompt=<text>` in one element: `-p "-rf …"` is read as options. An empty prompt reads it all from stdin.
  const prompt = safePrompt(spec.prompt);
  const viaStdin = Buffer.byteLength(prompt, 'utf8') > argvPromptLimit;
  argv.push(viaStdin ? '--prompt=' : `--prompt=${prompt}`);

  const given = { ...options.env, ...spec.env };
  const authType = geminiKeyAuth({ ...(options.inheritedEnv ?? process.env), ...given });
  const tmp = join(spec.stateDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // A key: a home of orch's own with its settings. No key: the user's home and login, untouched (gemini-settings.ts).
  const home =
    authType === undefined
      ? undefined
      : writeGeminiHome(join(spec.stateDir, 'homes'), geminiSettings({ authType, maxAttempts: options.maxAttempts ?? defaults.maxAttempts, maxSessionTurns: spec.maxTurns ?? options.maxTurns }));
  const env: Record<string, string | undefined> = {
    ...(home === undefined ? {} : { GEMINI_CLI_HOME: home }),
    // Headless runs in an untrusted folder refuse yolo; the worktree is orch's own.
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
    // The launcher otherwise starts a second Node process only to raise the heap limit (~0.4 s per run).
    GEMINI_CLI_NO_RELAUNCH: 'true',
    // Error reports (gemini-client-error-*.json, with the request in them) land in the OS temp dir.
    TMPDIR: tmp,
    ...given,
  };
  return viaStdin ? { argv, env, stdin: prompt } : { argv, env };
}

/**
 * An API failure exits with the HTTP status as the exit code, truncated to a byte (429 → 173, 401 → 145): the only
 * place a 429's or 503's status shows, their messages quote no JSON.
 */
function statusFromExit(exitCode: number | null): number | null {
  if (exitCode === null || exitCode < 144) return null; // 128 + signal (143, 137) and the CLI's own codes
  const status = exitCode + 256;
  return (status >= 400 && status < 430) || status >= 500 ? status : null;
}

const failureRules: FailureRules = {
  // No key, no login, an invalid auth type: exit 41, with nothing on stdout. 53: past model.maxSessionTurns.
  exitCodes: { 41: 'auth', 53: 'max_turns' },
  errorNames: { max_turns: ['FatalTurnLimitedError'] },
  statusFromExit,
  patterns: {
    auth: /api key not valid|api_key_invalid|unauthenticated|permission_denied|api key was reported as leaked|must specify the GEMINI_API_KEY|manual authorization is required/i,
    rate_limited: /resource_exhausted|quota|rate limit|too many requests|exhausted your/i,
    transient: /terminated|fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timed out|unavailable|overloaded|high demand|deadline_exceeded|incomplete json/i,
  },
};

export function classifyGeminiExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  return classifyExit(failureRules, exit, events);
}

export function createGeminiAdapter(options: GeminiAdapterOptions = {}): AgentAdapter {
  // Stateful (it joins streamed text): one adapter per run, as orch's engine creates them.
  const parse = createGeminiParser(options.prices);
  return {
    name: 'gemini',
    supportsResume: record.capabilities.resume,
    buildInvocation: (spec) => buildGeminiInvocation(spec, options),
    parse,
    classify: classifyGeminiExit,
  };
}

export const geminiBackend: AgentBackend<'gemini'> = {
  // A key gets Gemini CLI a home of its own under ORCH_HOME; without one, the user's ~/.gemini (their login).
  create: (section) => createGeminiAdapter({ binary: section.binary, env: section.env, maxAttempts: section.maxAttempts, prices: section.prices }),
  credentialProblem(env) {
    const message = geminiCredentialProblem(env);
    return message === undefined ? undefined : { message, hint: 'Run `gemini` once and choose "Login with Google", or export GEMINI_API_KEY.' };
  },
};
