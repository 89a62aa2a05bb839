// From a name and the project's config to an adapter, and the checks that fail fast before any agent starts.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OrchConfig } from '../domain/config.ts';
import { AgentSetupError, UsageError } from '../domain/errors.ts';
import { findExecutable } from '../process/which.ts';
import type { AgentAdapter } from './adapter.ts';
import { createAiderAdapter } from './aider.ts';
import { createClaudeAdapter } from './claude.ts';
import { createCodexAdapter } from './codex.ts';
import { createCommandAdapter } from './command.ts';
import { createGeminiAdapter } from './gemini.ts';
import { geminiCredentialProblem } from './gemini-settings.ts';
import { createOpenCodeAdapter } from './opencode.ts';

export const agentNames = ['claude', 'codex', 'command', 'aider', 'gemini', 'opencode'] as const;
export type AgentName = (typeof agentNames)[number];

export function isAgentName(name: string): name is AgentName {
  return (agentNames as readonly string[]).includes(name);
}

const commandAgentUnset = (): UsageError =>
  new UsageError("The 'command' agent needs agents.command.argv in orch.config.json.", {
    hint: 'For example: "agents": { "command": { "argv": ["my-agent", "--task", "{prompt}"] } }',
  });

export function createAgentAdapter(name: string, config: OrchConfig): AgentAdapter {
  switch (name) {
    case 'claude':
      // The user's own CLAUDE_CONFIG_DIR (their login) unless the environment names another.
      return createClaudeAdapter({ binary: config.agents.claude.binary, maxRetries: config.agents.claude.maxRetries, isolateConfig: false, env: config.agents.claude.env });
    case 'codex': {
      const codex = config.agents.codex;
      // The user's own CODEX_HOME (their login and config) unless agents.codex.env names another.
      return createCodexAdapter({ binary: codex.binary, env: codex.env, priceModel: config.model, prices: codex.prices });
    }
    case 'command': {
      const command = config.agents.command;
      if (command === undefined) throw commandAgentUnset();
      return createCommandAdapter(command);
    }
    case 'aider': {
      const aider = config.agents.aider;
      return createAiderAdapter({ binary: aider.binary, env: aider.env, mapTokens: aider.mapTokens, args: aider.args });
    }
    case 'gemini': {
      const gemini = config.agents.gemini;
      // A key gets Gemini CLI a home of its own under ORCH_HOME; without one, the user's ~/.gemini (their login).
      return createGeminiAdapter({ binary: gemini.binary, env: gemini.env, maxAttempts: gemini.maxAttempts, prices: gemini.prices });
    }
    case 'opencode':
      // The user's own OpenCode config, login and sessions; agents.opencode.env may point it elsewhere.
      return createOpenCodeAdapter({ binary: config.agents.opencode.binary, env: config.agents.opencode.env });
    default:
      throw new UsageError(`Unknown agent '${name}'.`, { hint: `Use one of: ${agentNames.join(', ')}.` });
  }
}

function agentProgram(name: string, config: OrchConfig): string | undefined {
  if (name === 'claude') return config.agents.claude.binary;
  if (name === 'codex') return config.agents.codex.binary;
  if (name === 'command') return config.agents.command?.argv[0];
  if (name === 'aider') return config.agents.aider.binary;
  if (name === 'gemini') return config.agents.gemini.binary;
  if (name === 'opencode') return config.agents.opencode.binary;
  return undefined;
}

const installHints: Record<string, string> = {
  claude: 'Install Claude Code (npm install -g @anthropic-ai/claude-code) or set agents.claude.binary.',
  codex: 'Install Codex (npm install -g @openai/codex) or set agents.codex.binary.',
  gemini: 'Install Gemini CLI (npm install -g @google/gemini-cli) or set agents.gemini.binary.',
  opencode: 'Install OpenCode (npm install -g opencode-ai) or set agents.opencode.binary.',
  aider: 'Install Aider (python -m pip install aider-install && aider-install) or set agents.aider.binary.',
};

/** The agent's executable, resolved; a clear error when it is not installed. */
export function assertAgentInstalled(name: string, config: OrchConfig, cwd: string, pathVariable?: string): string {
  if (name === 'command' && config.agents.command === undefined) throw commandAgentUnset();
  const program = agentProgram(name, config);
  const found = program === undefined ? undefined : findExecutable(program, cwd, pathVariable);
  if (program === undefined || found === undefined) {
    const install = installHints[name] ?? 'Fix agents.command.argv[0] in orch.config.json.';
    throw new AgentSetupError('agent_not_found', `The ${name} agent's program '${program ?? ''}' was not found.`, { hint: install });
  }
  return found;
}

/** Claude Code needs a key, a token or a login; without any it fails every attempt, so say so up front. */
function assertClaudeCredentials(config: OrchConfig, env: NodeJS.ProcessEnv): void {
  const merged = { ...env, ...config.agents.claude.env };
  if (merged['ANTHROPIC_API_KEY'] || merged['ANTHROPIC_AUTH_TOKEN'] || merged['CLAUDE_CODE_OAUTH_TOKEN']) return;
  const configDir = merged['CLAUDE_CONFIG_DIR'] ?? join(homedir(), '.claude');
  if (existsSync(join(configDir, '.credentials.json'))) return;
  throw new AgentSetupError('agent_auth', 'Claude Code is not logged in and no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set.', {
    hint: 'Run `claude` once and log in, or export ANTHROPIC_API_KEY. To try orch without a key, run `orch demo`.',
  });
}

/** A provider other than OpenAI's in config.toml brings its own key (env_key), checked by Codex at run time. */
function usesOwnProvider(codexHome: string): boolean {
  const configPath = join(codexHome, 'config.toml');
  if (!existsSync(configPath)) return false;
  const provider = /^\s*model_provider\s*=\s*["']([^"']+)["']/m.exec(readFileSync(configPath, 'utf8'))?.[1];
  return provider !== undefined && provider !== 'openai';
}

/**
 * Codex without a login (auth.json), a key it reads or a provider of its own sends unauthenticated requests and
 * retries for minutes. It reads CODEX_API_KEY, not OPENAI_API_KEY (measured with 0.169.0).
 */
function assertCodexCredentials(config: OrchConfig, env: NodeJS.ProcessEnv): void {
  const merged = { ...env, ...config.agents.codex.env };
  if (merged['CODEX_API_KEY'] || merged['CODEX_ACCESS_TOKEN']) return;
  const codexHome = merged['CODEX_HOME'] || join(homedir(), '.codex');
  if (existsSync(join(codexHome, 'auth.json')) || usesOwnProvider(codexHome)) return;
  const fromOpenAI = merged['OPENAI_API_KEY'] ? ' OPENAI_API_KEY is set, but Codex does not read it.' : '';
  throw new AgentSetupError('agent_auth', `Codex is not logged in and no CODEX_API_KEY is set.${fromOpenAI}`, {
    hint: 'Run `codex login` (or `printenv OPENAI_API_KEY | codex login --with-api-key`), or export CODEX_API_KEY.',
  });
}

function assertGeminiCredentials(config: OrchConfig, env: NodeJS.ProcessEnv): void {
  const problem = geminiCredentialProblem({ ...env, ...config.agents.gemini.env });
  if (problem === undefined) return;
  throw new AgentSetupError('agent_auth', problem, { hint: 'Run `gemini` once and choose "Login with Google", or export GEMINI_API_KEY.' });
}

/**
 * Fails fast when an agent clearly cannot authenticate; anything less certain is left to classify() at run time.
 * OpenCode is never checked: it reads keys of dozens of providers from the environment, its own auth.json and its
 * config, and offers keyless models; a missing key fails its run as ProviderAuthError (auth).
 */
export function assertAgentCredentials(name: string, config: OrchConfig, env: NodeJS.ProcessEnv): void {
  if (name === 'claude') assertClaudeCredentials(config, env);
  else if (name === 'codex') assertCodexCredentials(config, env);
  else if (name === 'gemini') assertGeminiCredentials(config, env);
}
