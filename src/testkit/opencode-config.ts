/**
 * Points OpenCode at a scripted Anthropic server, offline: an OPENCODE_CONFIG_CONTENT with a provider of its own on
 * `@ai-sdk/anthropic`, and XDG directories of its own so the user's ~/.config/opencode, ~/.local/share/opencode (login,
 * sessions) and caches stay untouched. OpenCode's tools are lowercase with camelCase inputs: scripts for it say
 * `write {filePath, content}`, `edit {filePath, oldString, newString}`, `bash {command, description}`,
 * `read {filePath}`.
 */
import { join } from 'node:path';

export interface OpenCodeEnvOptions {
  /** A scripted Anthropic server's `url` (no `/v1`). */
  baseUrl: string;
  /** The model id the provider offers and the requests name. Default `claude-scripted`. */
  model?: string | undefined;
  /** The key put in the provider's options; `null` leaves it out (to test a missing key). Default `sk-orch-scripted`. */
  apiKey?: string | null | undefined;
  /** USD per million tokens, from which OpenCode computes each step's cost. Default: none, every cost 0. */
  cost?: { input: number; output: number; cache_read?: number; cache_write?: number } | undefined;
}

export const opencodeProviderId = 'orch-scripted';

/** The config: its model is `orch-scripted/<model>`. */
export function opencodeConfigContent(options: OpenCodeEnvOptions): string {
  const model = options.model ?? 'claude-scripted';
  const apiKey = options.apiKey === undefined ? 'sk-orch-scripted' : options.apiKey;
  return JSON.stringify({
    $schema: 'https://opencode.ai/config.json',
    provider: {
      [opencodeProviderId]: {
        npm: '@ai-sdk/anthropic',
        name: 'orch scripted model',
        options: { baseURL: `${options.baseUrl}/v1`, ...(apiKey === null ? {} : { apiKey }) },
        models: { [model]: { name: model, ...(options.cost === undefined ? {} : { cost: options.cost }) } },
      },
    },
    model: `${opencodeProviderId}/${model}`,
    autoupdate: false,
    share: 'disabled',
  });
}

/**
 * The environment to run OpenCode with against the server: the config, XDG directories under `dir`, and no fetch of
 * the models.dev catalog (models.opencode.ai).
 */
export function opencodeEnv(dir: string, options: OpenCodeEnvOptions): Record<string, string> {
  return {
    OPENCODE_CONFIG_CONTENT: opencodeConfigContent(options),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
  };
}
