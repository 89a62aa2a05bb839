// The built-in strategies end to end: the real Claude Code CLI, the scripted model, real git and checks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { startScriptedOpenAIServer, writeCodexHome } from '../../src/testkit/index.ts';
import { badMath, bigGoodMath, claudeBinary, claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers, type Report } from '../helpers/claude-run.ts';

const codexBinary = join(repoRoot, 'node_modules', '.bin', 'codex');

const temp = useTempRepos();
const serve = useScriptedServers();
const write = (content: string) => ({ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content } });

describe('strategies with Claude Code', () => {
  it('best-of-3 merges the passing attempt with the smallest diff, and says why', async () => {
    // With one agent at a time the scripts are dealt to attempts 0, 1, 2 in order.
    const server = await serve({
      scripts: [
        { name: 'breaks', turns: [write(badMath), { text: 'done' }] },
        { name: 'big', turns: [write(bigGoodMath), { text: 'done' }] },
        { name: 'small', turns: [write(goodMath), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-agents', '1', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const [first, second, third] = report.attempts;
    const passed = (id: string | undefined) => report.verdicts.find((v) => v.attemptId === id)?.passed;
    expect([first, second, third].map((a) => passed(a?.id))).toEqual([false, true, true]);
    expect(report.merges[0]).toMatchObject({ status: 'merged', attemptId: third?.id });
    expect(report.run.reason).toContain(`${third?.id ?? ''} won: it changes 2 lines against`);
    expect(report.run.reason).toContain(`for ${second?.id ?? ''} (2 of 3 attempts pass the checks)`);
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
    expect(first?.branch).not.toBe(third?.branch);
    // Every attempt's work stays on its branch.
    expect(await repo.git(['show', `${first?.branch ?? ''}:src/math.js`])).toBe(badMath.trim());
  });

  it('iterative feeds the failed check back into the same session and merges after round 2', async () => {
    const server = await serve({ script: [write(badMath), { text: 'first try' }, write(goodMath), { text: 'fixed with the feedback' }] });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'iterative', '-S', 'rounds=3', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts.map((a) => a.stepKey)).toEqual(['round/0', 'round/1']);
    expect(report.verdicts.map((v) => v.passed)).toEqual([false, true]);
    // Round 2 went on in round 1's session: same session id, same branch.
    expect(report.attempts[1]?.sessionId).toBe(report.attempts[0]?.sessionId);
    expect(report.attempts[1]?.branch).toBe(report.attempts[0]?.branch);
    // The feedback reached the model: the failing test's output is in the round-2 request.
    const lastRequest = JSON.stringify(server.requestLog.at(-1)?.body ?? {});
    expect(lastRequest).toContain('The test check failed');
    expect(report.merges[0]?.status).toBe('merged');
    expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
  });

  it('tournament of 4 has one winner after 3 pairwise comparisons', async () => {
    const server = await serve({
      scripts: [
        { name: 'compare', match: { prompt: 'You are judging two attempts' }, turns: [{ text: '{"winner": "B", "reasoning": "B is as correct and no larger."}' }] },
        { name: 'attempt', match: { prompt: 'one of several coding agents' }, turns: [write(goodMath), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'tournament', '-S', 'n=4', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts).toHaveLength(4);
    expect(report.comparisons).toHaveLength(3);
    expect(report.comparisons.every((c) => c.status === 'compared')).toBe(true);
    const final = report.comparisons.at(-1);
    expect(report.merges[0]?.attemptId).toBe(final?.winnerAttemptId);
    expect(report.run.costUsd).toBeGreaterThan(report.attempts.reduce((sum, a) => sum + a.costUsd, 0));
  });
});

describe('the AI reviewer in a run', () => {
  it('scores every attempt with --review, and a reviewer that never answers well does not fail the run', async () => {
    // Only the attempts have a script: the reviewer's conversations end at once with "done".
    const server = await serve({ scripts: [{ name: 'attempt', match: { prompt: 'one of several coding agents' }, turns: [write(goodMath), { text: 'done' }] }] });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=2', '--review', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Omit<Report, 'verdicts'> & { verdicts: { review: unknown; reviewError: string | null }[] };
    // No review script matched: the reviewer got "done", was asked once to repair, and gave up.
    expect(report.verdicts.every((v) => v.review === null && (v.reviewError ?? '').includes('malformed'))).toBe(true);
    expect(report.merges[0]?.status).toBe('merged');
  });

  it('records review scores and counts their cost in the run', async () => {
    const server = await serve({
      scripts: [
        { name: 'review', match: { prompt: 'You are the reviewer' }, turns: [{ text: '{"score": 8, "pass": true, "reasoning": "correct and small", "risks": ["none"]}' }] },
        { name: 'attempt', match: { prompt: 'one of several coding agents' }, turns: [write(goodMath), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=2', '--review', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdicts.map((v) => v.review?.score)).toEqual([8, 8]);
    expect(report.run.costUsd).toBeGreaterThan(report.attempts.reduce((sum, a) => sum + a.costUsd, 0));
  });
});

describe('mixing agents', () => {
  it('a best-of-2 with Claude Code and Codex, each against its scripted server, completes', async () => {
    const anthropic = await serve({ script: [write(goodMath), { text: 'done' }] });
    const openai = await startScriptedOpenAIServer({ script: [write(`${goodMath}// codex\n`), { text: 'done' }] });
    try {
      const repo = await temp.repo({
        files: { ...mathProject, 'orch.config.json': claudeConfig({ agents: { claude: { binary: claudeBinary, maxRetries: 0 }, codex: { binary: codexBinary } } }) },
      });
      await repo.git(['switch', '--quiet', '-c', 'other']);
      const home = await temp.dir();
      const codexHome = writeCodexHome(join(home, 'codex-home'), { baseUrl: openai.url });
      const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=2', '--agents', 'claude,codex', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
        cwd: repo.root,
        home,
        env: { ...claudeEnv(anthropic, join(home, 'claude')), ...codexHome.env },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.attempts.map((a) => [a.agent, a.status])).toEqual([
        ['claude', 'succeeded'],
        ['codex', 'succeeded'],
      ]);
      expect(report.verdicts.every((v) => v.passed)).toBe(true);
      expect(anthropic.requests).toBeGreaterThan(0);
      expect(openai.requests).toBeGreaterThan(0);
      expect(report.merges[0]?.status).toBe('merged');
    } finally {
      await openai.close();
    }
  });
});
