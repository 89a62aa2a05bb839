/**
 * The settings orch gives Gemini CLI, and which home it runs in. Gemini CLI takes its options from settings.json, not
 * flags, and it ignores a system settings file (GEMINI_CLI_SYSTEM_SETTINGS_PATH) that root does not own, so orch's
 * settings go into a home of its own (GEMINI_CLI_HOME, `<home>/.gemini/settings.json`).
 *
 * With a key in the environment (GEMINI_API_KEY, or Vertex AI selected) the CLI runs in such a home under orch's
 * state dir: sessions, history and the project registry stay out of the user's ~/.gemini, the user's extensions and
 * MCP servers are not loaded, usage statistics are off and orch sets the retries. The home is named by its settings,
 * so parallel attempts with different settings (projects with different configs) never rewrite each other's; a
 * session resumes only in the home it started in, so with the same settings.
 *
 * Without a key, the user's own home, where a "Login with Google" lives (its OAuth tokens may sit in the keychain or
 * in files the CLI migrates and deletes: orch neither copies nor links them). orch writes nothing there, so the
 * user's settings rule: the CLI's default of 10 attempts with backoff, no turn limit, their statistics choice.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

export type GeminiAuthType = 'gemini-api-key' | 'vertex-ai';

/** The auth type a key in `env` selects; undefined: no key, the user's login (or nothing) decides. */
export function geminiKeyAuth(env: Readonly<Record<string, string | undefined>>): GeminiAuthType | undefined {
  if (env['GOOGLE_GENAI_USE_VERTEXAI'] === 'true') return 'vertex-ai';
  if (env['GEMINI_API_KEY']) return 'gemini-api-key';
  return undefined;
}

export interface GeminiSettingsInput {
  /** GOOGLE_GEMINI_BASE_URL alone would select the "gateway" type, which headless runs refuse (exit 41). */
  authType: GeminiAuthType;
  /** general.maxAttempts: the CLI's attempts per chat request (at most 10). */
  maxAttempts: number;
  /** model.maxSessionTurns: past it the CLI stops with exit 53. */
  maxSessionTurns: number | undefined;
}

export function geminiSettings(input: GeminiSettingsInput): Record<string, unknown> {
  return {
    security: { auth: { selectedType: input.authType } },
    // Usage statistics go to play.googleapis.com; nothing else leaves the machine besides the model API.
    privacy: { usageStatisticsEnabled: false },
    general: { maxAttempts: input.maxAttempts, enableAutoUpdate: false, enableAutoUpdateNotification: false },
    ...(input.maxSessionTurns === undefined ? {} : { model: { maxSessionTurns: input.maxSessionTurns } }),
  };
}

/** A home under `root` holding `settings` (`<root>/<hash>/.gemini/settings.json`, written atomically); its path. */
export function writeGeminiHome(root: string, settings: Record<string, unknown>): string {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  const home = join(root, createHash('sha256').update(text).digest('hex').slice(0, 12));
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'settings.json');
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return home;
}

/** The user-level auth type in `<home>/.gemini/settings.json` (security.auth.selectedType); the file may hold
 * comments and trailing commas, as the CLI allows. */
function selectedAuthType(settingsPath: string): string | undefined {
  if (!existsSync(settingsPath)) return undefined;
  type Settings = { security?: { auth?: { selectedType?: unknown } } } | null | undefined;
  const selected = (parseJsonc(readFileSync(settingsPath, 'utf8'), [], { allowTrailingComma: true }) as Settings)?.security?.auth?.selectedType;
  return typeof selected === 'string' ? selected : undefined;
}

/**
 * Why Gemini CLI cannot authenticate in `env`, or undefined when it can or might: a key, Vertex AI, a Google login
 * (`oauth_creds.json` in its home), or an auth type in the user's settings that orch cannot check (a key stored by
 * the CLI, Application Default Credentials). Without any of them every run fails with exit 41.
 */
export function geminiCredentialProblem(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (geminiKeyAuth(env) !== undefined) return undefined;
  if (env['GOOGLE_GENAI_USE_GCA'] === 'true' || env['CLOUD_SHELL'] === 'true' || env['GEMINI_CLI_USE_COMPUTE_ADC'] === 'true') return undefined;
  const dir = join(env['GEMINI_CLI_HOME'] || env['HOME'] || homedir(), '.gemini');
  if (existsSync(join(dir, 'oauth_creds.json'))) return undefined;
  const selected = selectedAuthType(join(dir, 'settings.json'));
  if (selected !== undefined && selected !== 'oauth-personal') return undefined;
  const googleKey = env['GOOGLE_API_KEY'] ? ' GOOGLE_API_KEY is set, but Gemini CLI reads it only for Vertex AI.' : '';
  return `Gemini CLI is not logged in and no GEMINI_API_KEY is set.${googleKey}`;
}
