// Money limits: per attempt (Claude Code's own --max-budget-usd) and per run (no new attempt past it; running
// ones stop with reason budget). The scripted model sets the token counts the CLI prices.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';
import { claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers, type Report } from '../helpers/claude-run.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const expensive = { input_tokens: 200_000, output_tokens: 10 }; // about $1 at the CLI's default model prices
const writeGood = { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } };

async function setup() {
  const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig() } });
  await repo.git(['switch', '--quiet', '-c', 'other']);
  return { repo, home: await temp.dir() };
}

describe('budgets', () => {
  it('stops an attempt that passes --max-cost, with reason budget', async () => {
    const server = await serve({ script: [{ ...writeGood, usage: expensive }, { text: 'done' }] });
    const { repo, home } = await setup();
    const result = await runOrch(['run', 'fix add', '--max-cost', '0.05', '--target', 'main', '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'c')) });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts[0]).toMatchObject({ status: 'failed', reason: 'budget' });
  });

  it('starts no attempt once the run budget is spent', async () => {
    const server = await serve({ script: [{ ...writeGood, usage: expensive }, { text: 'done' }] });
    const { repo, home } = await setup();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-agents', '1', '--max-run-cost', '0.5', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'c')),
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts.map((a) => a.reason)).toEqual(['completed', 'budget', 'budget']);
    expect(new Set(server.requestLog.map((r) => r.conversation)).size, JSON.stringify(server.requestLog.map((r) => [r.conversation, r.turn, r.path, r.answer]))).toBe(1);
    // The finished attempt passed its checks, so its work still lands.
    expect(report.merges[0]?.status).toBe('merged');
    expect(report.run.costUsd).toBeGreaterThan(0.5);
  });

  it('stops running attempts when the run passes its budget', async () => {
    // One conversation gets the fast, expensive script; the two others wait on a model that never answers.
    const server = await serve({
      scripts: [
        { name: 'fast', turns: [{ ...writeGood, usage: expensive }, { text: 'done' }] },
        { name: 'slow-1', turns: [{ hang: true }] },
        { name: 'slow-2', turns: [{ hang: true }] },
      ],
    });
    const { repo, home } = await setup();
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-run-cost', '0.5', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'c')),
      timeoutMs: 60_000,
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.attempts.map((a) => a.reason).sort()).toEqual(['budget', 'budget', 'completed']);
    expect(report.merges[0]?.status).toBe('merged');
  });
});
