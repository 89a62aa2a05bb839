// Shared setup for end-to-end runs of the real Claude Code CLI against the scripted Anthropic server.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startScriptedAnthropicServer, type ScriptedAnthropicServer, type ScriptedServerOptions } from '../../src/testkit/index.ts';
import { repoRoot } from './orch-cli.ts';

export const claudeBinary = join(repoRoot, 'node_modules', '.bin', 'claude');

/** Scripted servers for one test file, closed after each test. Call at the top level. */
export function useScriptedServers(): (options: ScriptedServerOptions) => Promise<ScriptedAnthropicServer> {
  const servers: ScriptedAnthropicServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await startScriptedAnthropicServer(options);
    servers.push(server);
    return server;
  };
}

export function claudeEnv(server: ScriptedAnthropicServer, configDir: string): Record<string, string> {
  return { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CONFIG_DIR: configDir, ANTHROPIC_AUTH_TOKEN: '' };
}

export const claudeConfig = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0 } }, checks: { allowUnchecked: true }, ...extra });

/** A tiny project with a failing test: add() subtracts. */
export const mathProject = {
  'package.json': '{ "type": "module" }\n',
  'src/math.js': 'export const add = (a, b) => a - b;\n',
  'test/math.test.js': "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/math.js';\n\ntest('add', () => assert.equal(add(2, 3), 5));\n",
};

export const goodMath = 'export const add = (a, b) => a + b;\n';
export const badMath = 'export const add = (a, b) => a * b;\n';
export const bigGoodMath = `${goodMath}${Array.from({ length: 60 }, (_, i) => `// padding line ${i}: an overgrown change\n`).join('')}`;

export interface Report {
  run: { id: string; status: string; reason: string; costUsd: number };
  attempts: { id: string; agent: string; branch: string; status: string; reason: string; turns: number; costUsd: number; sessionId: string | null; stepKey: string; diff: { insertions: number; deletions: number } | null }[];
  verdicts: { attemptId: string; passed: boolean; review: { score: number } | null }[];
  comparisons: { aAttemptId: string; bAttemptId: string; winnerAttemptId: string; status: string }[];
  merges: { status: string; attemptId: string }[];
}
