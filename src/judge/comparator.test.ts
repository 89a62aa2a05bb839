// The pairwise comparator against the REAL claude binary, its model scripted by the testkit server on 127.0.0.1.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeAdapter } from '../agents/claude.ts';
import type { CheckResult } from '../domain/records.ts';
import { startScriptedAnthropicServer, type ScriptedAnthropicServer, type ScriptTurnInput } from '../testkit/index.ts';
import { compareAttempts, summarizeAttempt, type AttemptDiff, type CompareRequest } from './comparator.ts';

const binary = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));
const adapter = createClaudeAdapter({ binary, maxRetries: 0 });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const check = (name: string, passed: boolean, outputTail: string): CheckResult => ({
  name,
  command: `npm run ${name}`,
  exitCode: passed ? 0 : 1,
  passed,
  timedOut: false,
  durationMs: 500,
  outputTail,
});

function attemptDiff(body: string, truncated = false): AttemptDiff {
  return {
    stat: { filesChanged: 1, insertions: 1, deletions: 0, files: [{ path: 'src/slug.ts', insertions: 1, deletions: 0 }] },
    text: `diff --git a/src/slug.ts b/src/slug.ts\n+${body}\n`,
    truncated,
  };
}

describe('summarizeAttempt', () => {
  it('gives the stat, a bounded fenced excerpt and the checks, with output only for failing ones', () => {
    const long = attemptDiff('x'.repeat(10_000));
    const summary = summarizeAttempt(long, [check('test', true, 'PASS all'), check('lint', false, 'src/slug.ts:1 no-var')], { excerptChars: 200 });
    expect(summary).toContain('1 file changed, 1 insertion(+), 0 deletions(-)');
    expect(summary).toContain('src/slug.ts  +1 -0');
    expect(summary).toContain('TRUNCATED: it shows only the first 200 characters');
    expect(summary.length).toBeLessThan(1500);
    expect(summary).toContain('- test: passed');
    expect(summary).not.toContain('PASS all');
    expect(summary).toContain('- lint: FAILED');
    expect(summary).toContain('src/slug.ts:1 no-var');
    expect(summarizeAttempt(attemptDiff('y'), [])).toContain('No checks were configured');
  });
});

describe.skipIf(!existsSync(binary))('compareAttempts, real Claude Code', () => {
  async function setup(script: ScriptTurnInput[]): Promise<{ server: ScriptedAnthropicServer; request: CompareRequest }> {
    const server = await startScriptedAnthropicServer({ script });
    cleanups.push(() => server.close());
    const root = mkdtempSync(join(tmpdir(), 'orch-compare-test-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const cwd = join(root, 'repo');
    mkdirSync(cwd);
    const request: CompareRequest = {
      adapter,
      cwd,
      goal: 'Add a slugify function.',
      a: summarizeAttempt(attemptDiff('export const slugify = (s) => s; // MARKER-A'), [check('test', false, '1 failed')]),
      b: summarizeAttempt(attemptDiff('export const slugify = (s) => s.toLowerCase(); // MARKER-B'), [check('test', true, '')]),
      stateDir: join(root, 'state'),
      env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test', CLAUDE_CONFIG_DIR: join(root, 'claude-config') },
      timeoutMs: 30_000,
      idleTimeoutMs: 30_000,
    };
    return { server, request };
  }

  it('returns the winner the model picks', async () => {
    const { server, request } = await setup([{ text: '{"winner": "B", "reasoning": "B passes its tests."}' }]);
    const outcome = await compareAttempts(request);

    expect(outcome).toMatchObject({ status: 'compared', winner: 'B', reasoning: 'B passes its tests.', usage: { turns: 1 } });
    expect(server.requests).toBe(1);
    const sent = JSON.stringify(server.requestLog[0]?.body);
    for (const text of ['Add a slugify function.', 'MARKER-A', 'MARKER-B', '## Attempt A', '## Attempt B']) expect(sent).toContain(text);
    const tools = ((server.requestLog[0]?.body as { tools?: { name: string }[] }).tools ?? []).map((tool) => tool.name);
    for (const forbidden of ['Write', 'Edit', 'Bash']) expect(tools).not.toContain(forbidden);
  });

  it('repairs an answer naming neither attempt, then gives up after one round', async () => {
    const repaired = await setup([{ text: '{"winner": "C", "reasoning": "?"}' }, { text: '{"winner": "A", "reasoning": "fixed"}' }]);
    expect(await compareAttempts(repaired.request)).toMatchObject({ status: 'compared', winner: 'A', usage: { turns: 2 } });
    expect(JSON.stringify(repaired.server.requestLog[1]?.body)).toContain('- winner: ');

    const failed = await setup([{ text: '{"winner": "C"}' }, { text: 'A, I think' }]);
    const outcome = await compareAttempts(failed.request);
    expect(outcome.status).toBe('compare_failed');
    if (outcome.status === 'compare_failed') expect(outcome.error).toContain('even after one repair round');
  });
});
