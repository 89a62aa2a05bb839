/**
 * A CODEX_HOME that points Codex at a scripted (or any Responses API) server, offline: without this config Codex
 * calls github.com (update checks) and chatgpt.com (plugins, apps, analytics) on its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodexHomeOptions {
  /** The provider's base URL, `/v1` included: a scripted OpenAI server's `url`. */
  baseUrl: string;
  /** Default `gpt-5.5`: Codex knows it, offers it `apply_patch`, and the adapter prices it. */
  model?: string | undefined;
  /** The environment variable Codex reads the API key from. Default `ORCH_SCRIPTED_API_KEY`. */
  envKey?: string | undefined;
  /** The key put in `env`; `null` leaves it out (to test a missing key). Default `sk-orch-scripted`. */
  apiKey?: string | null | undefined;
  /** Codex's own retries of a failed request and of a dropped stream. Default 0, so failures show at once. */
  maxRetries?: number | undefined;
}

export interface CodexHome {
  dir: string;
  /** CODEX_HOME and the API key: spread into an agent spec's `env`. */
  env: Record<string, string>;
}

const providerId = 'orch-scripted';

function tomlString(value: string): string {
  return JSON.stringify(value); // a JSON string is a valid TOML basic string
}

export function codexConfigToml(options: CodexHomeOptions): string {
  const retries = options.maxRetries ?? 0;
  return [
    `model = ${tomlString(options.model ?? 'gpt-5.5')}`,
    `model_provider = ${tomlString(providerId)}`,
    'approval_policy = "never"',
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    'plugins = false',
    'remote_plugin = false',
    'apps = false',
    '',
    `[model_providers.${providerId}]`,
    'name = "orch scripted model"',
    `base_url = ${tomlString(options.baseUrl)}`,
    `env_key = ${tomlString(options.envKey ?? 'ORCH_SCRIPTED_API_KEY')}`,
    'wire_api = "responses"',
    `request_max_retries = ${retries}`,
    `stream_max_retries = ${retries}`,
    '',
  ].join('\n');
}

/** Creates `dir` (if needed) with a `config.toml` for the server at `baseUrl`; returns the env to run Codex with. */
export function writeCodexHome(dir: string, options: CodexHomeOptions): CodexHome {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.toml'), codexConfigToml(options));
  const apiKey = options.apiKey === undefined ? 'sk-orch-scripted' : options.apiKey;
  const env: Record<string, string> = { CODEX_HOME: dir };
  if (apiKey !== null) env[options.envKey ?? 'ORCH_SCRIPTED_API_KEY'] = apiKey;
  return { dir, env };
}
