// Gemini CLI and OpenCode through orch itself: the real CLIs against the scripted servers, real git and checks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { opencodeEnv, startScriptedAnthropicServer, startScriptedGeminiServer } from '../../src/testkit/index.ts';
import { goodMath, mathProject, type Report } from '../helpers/claude-run.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';

const geminiBinary = join(repoRoot, 'node_modules', '.bin', 'gemini');
const opencodeBinary = join(repoRoot, 'node_modules', '.bin', 'opencode');

const temp = useTempRepos();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe.skipIf(!existsSync(geminiBinary) || !existsSync(opencodeBinary))('more agents through orch run', () => {
  it('a best-of-2 with Gemini CLI and OpenCode, each against its scripted server, merges a passing attempt', async () => {
    // Gemini CLI takes the script's Write as write_file; OpenCode's tools are its own (lowercase, camelCase inputs).
    const gemini = await startScriptedGeminiServer({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'done' }] });
    const anthropic = await startScriptedAnthropicServer({ script: [{ tool: 'write', input: { filePath: '{{cwd}}/src/math.js', content: `${goodMath}// opencode\n` } }, { text: 'done' }] });
    closers.push(() => gemini.close(), () => anthropic.close());
    const home = await temp.dir();
    const config = {
      agent: 'gemini',
      agents: {
        gemini: { binary: geminiBinary, maxAttempts: 1 },
        opencode: { binary: opencodeBinary, env: opencodeEnv(join(home, 'opencode'), { baseUrl: anthropic.url, cost: { input: 3, output: 15 } }) },
      },
    };
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': JSON.stringify(config) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=2', '--agents', 'gemini,opencode', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: { GOOGLE_GEMINI_BASE_URL: gemini.url, GEMINI_API_KEY: 'gemini-test-key' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts.map((a) => [a.agent, a.status])).toEqual([
      ['gemini', 'succeeded'],
      ['opencode', 'succeeded'],
    ]);
    for (const attempt of report.attempts) {
      expect(attempt.sessionId).not.toBeNull();
      expect(attempt.costUsd).toBeGreaterThan(0);
    }
    expect(report.verdicts.every((v) => v.passed)).toBe(true);
    expect(report.merges[0]?.status).toBe('merged');
    expect(gemini.requests).toBe(2);
    expect(anthropic.requests).toBe(2);
    // It worked in orch's own worktree, under ORCH_HOME.
    expect(gemini.requestLog.filter((request) => request.route === 'chat').every((request) => request.cwd?.startsWith(home))).toBe(true);
  });
});
