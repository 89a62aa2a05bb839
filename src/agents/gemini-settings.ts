/**
 * The settings orch gives Gemini CLI, and which home it runs in. Gemini CLI reads its options from settings.json
 * files, not flags; orch writes its own as the *system* settings file (GEMINI_CLI_SYSTEM_SETTINGS_PATH), which
 * overrides the user's settings without touching them. The file is named by its content, so parallel attempts
 * with different settings never overwrite each other's.
 *
 * Which home: with a key in the environment (GEMINI_API_KEY, or Vertex AI selected) the CLI gets a home of its own
 * under orch's state dir (GEMINI_CLI_HOME): sessions, history and the project registry stay out of the user's
 * ~/.gemini, and the user's extensions and MCP servers are not loaded. Without a key, the user's own home, where a
 * "Login with Google" lives (~/.gemini/oauth_creds.json); orch writes nothing there.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type GeminiAuthType = 'gemini-api-key' | 'vertex-ai';

/** The auth type a key in `env` selects; undefined: no key, the user's login (or nothing) decides. */
export function geminiKeyAuth(env: Readonly<Record<string, string | undefined>>): GeminiAuthType | undefined {
  if (env['GOOGLE_GENAI_USE_VERTEXAI'] === 'true') return 'vertex-ai';
  if (env['GEMINI_API_KEY']) return 'gemini-api-key';
  return undefined;
}

export interface GeminiSettingsInput {
  /** Set with a key: GOOGLE_GEMINI_BASE_URL alone would select the "gateway" type, which headless runs refuse. */
  authType: GeminiAuthType | undefined;
  /** general.maxAttempts: the CLI's attempts per chat request (at most 10). */
  maxAttempts: number;
  /** model.maxSessionTurns: past it the CLI stops with exit 53. */
  maxSessionTurns: number | undefined;
}

export function geminiSettings(input: GeminiSettingsInput): Record<string, unknown> {
  return {
    // Usage statistics go to play.googleapis.com; nothing else leaves the machine besides the model API.
    privacy: { usageStatisticsEnabled: false },
    general: { maxAttempts: input.maxAttempts, enableAutoUpdate: false, enableAutoUpdateNotification: false },
    ...(input.maxSessionTurns === undefined ? {} : { model: { maxSessionTurns: input.maxSessionTurns } }),
    ...(input.authType === undefined ? {} : { security: { auth: { selectedType: input.authType } } }),
  };
}

/** Writes `settings` to `<dir>/<hash>.json` (atomically, once) and returns its path. */
export function writeGeminiSettings(dir: string, settings: Record<string, unknown>): string {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  const path = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  mkdirSync(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return path;
}
