// Which hosts an agent may reach: the model API its environment and config name, its vendor's default API host,
// and the user's sandbox.allowHosts. Read from the same variables the agent CLIs read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostPort } from './network-bridge.ts';

/** Each agent's API and login hosts when no base URL says otherwise. */
export const vendorHosts: Readonly<Record<string, readonly string[]>> = {
  claude: ['api.anthropic.com', 'console.anthropic.com', 'claude.ai'],
  codex: ['api.openai.com', 'chatgpt.com', 'auth.openai.com'],
  gemini: ['generativelanguage.googleapis.com', 'cloudcode-pa.googleapis.com', 'oauth2.googleapis.com'],
  opencode: ['api.anthropic.com', 'api.openai.com', 'models.dev', 'opencode.ai'],
  aider: ['api.anthropic.com', 'api.openai.com'],
};

/** Variables whose value is a model API's base URL (ANTHROPIC_BASE_URL, OPENAI_API_BASE, GOOGLE_GEMINI_BASE_URL…). */
const baseUrlVariable = /(_BASE_URL|_API_BASE|_ENDPOINT)$/;

export function parseHostPort(text: string): HostPort | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : 0));
      return { host: url.hostname.toLowerCase(), port };
    } catch {
      return undefined;
    }
  }
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value);
  if (match === null) return undefined;
  return { host: (match[1] ?? '').toLowerCase(), port: match[2] === undefined ? 0 : Number(match[2]) };
}

function urlsIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s"'<>\\]+/g) ?? [];
}

/** Base URLs in the agent's own config files that orch knows about (Codex's config.toml). */
function configUrls(env: NodeJS.ProcessEnv): string[] {
  const codexHome = env['CODEX_HOME'];
  const found: string[] = [];
  if (codexHome) {
    try {
      for (const line of readFileSync(join(codexHome, 'config.toml'), 'utf8').split('\n')) {
        if (/^\s*base_url\s*=/.test(line)) found.push(...urlsIn(line));
      }
    } catch {
      // No config: Codex's defaults (vendorHosts).
    }
  }
  // OpenCode takes its whole config, provider base URLs included, in one variable.
  if (env['OPENCODE_CONFIG_CONTENT']) found.push(...urlsIn(env['OPENCODE_CONFIG_CONTENT']));
  return found;
}

export function allowedHosts(agent: string | undefined, env: NodeJS.ProcessEnv, extra: readonly string[]): HostPort[] {
  const texts: string[] = [...(agent === undefined ? [] : (vendorHosts[agent] ?? [])), ...extra];
  if (agent !== undefined) {
    for (const [name, value] of Object.entries(env)) if (value && baseUrlVariable.test(name)) texts.push(value);
    texts.push(...configUrls(env));
  }
  const seen = new Map<string, HostPort>();
  for (const text of texts) {
    const parsed = parseHostPort(text);
    if (parsed !== undefined) seen.set(`${parsed.host}:${parsed.port}`, parsed);
  }
  return [...seen.values()];
}
