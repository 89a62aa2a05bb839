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

  it('holds a best-of-3 to its run budget, below one attempt: running attempts stop, at most one turn past it, cost seen rising', async () => {
    // Every attempt would take five turns of $0.102 (25k input + 100 output tokens at claude-opus-5-5's $4 / $20 per
    // million): $0.51 an attempt, against a run budget of $0.35.
    const turn = { input_tokens: 25_000, output_tokens: 100 };
    const turnUsd = 0.102;
    const edit = (i: number) => ({ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: `${goodMath}// step ${i}\n` }, usage: turn });
    const server = await serve({ script: [edit(1), edit(2), edit(3), edit(4), { text: 'done', usage: turn }] });
    const { repo, home } = await setup();
    const env = claudeEnv(server, join(home, 'c'));
    const result = await runOrch(['run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--max-run-cost', '0.35', '--target', 'main', '--test-cmd', 'node --test', '--json'], {
      cwd: repo.root,
      home,
      env,
      timeoutMs: 120_000,
    });
    const report = JSON.parse(result.stdout) as Report;
    const log = JSON.stringify(server.requestLog.map((r) => [r.conversation, r.turn, r.answer]));
    // Every attempt ends for the budget: those that ran were stopped before their five turns, the rest never started.
    expect(report.attempts.map((a) => a.reason), log).toEqual(['budget', 'budget', 'budget']);
    expect(report.attempts.every((a) => a.turns < 5)).toBe(true);
    expect(report.run.costUsd).toBeGreaterThanOrEqual(0.35);
    expect(report.run.costUsd).toBeLessThanOrEqual(0.35 + turnUsd + 1e-9);
    // The books hold nothing the model did not serve, and every turn it served but the one each stopped attempt may
    // have had in flight: a request the agent sent just before orch stopped it, answered but never reported (on a
    // loaded machine the agent can be killed before it prints what it got).
    const served = server.requestLog.filter((r) => r.route === 'messages' && r.answer === 'message').length;
    const ran = report.attempts.filter((a) => a.turns > 0).length;
    const counted = report.attempts.reduce((sum, a) => sum + a.turns, 0);
    const books = `${log} ${JSON.stringify(report.attempts)} ${report.run.costUsd}`;
    expect(counted, books).toBeLessThanOrEqual(served);
    expect(counted, books).toBeGreaterThanOrEqual(served - ran);
    // A turn cut short by the stop counts what orch saw of it before the agent died: its input, at least.
    expect(report.run.costUsd).toBeLessThanOrEqual(served * turnUsd + 1e-9);
    expect(report.run.costUsd).toBeGreaterThanOrEqual(counted * turnUsd - ran * 0.002 - 1e-9);

    // The event log every dashboard reads saw the run's cost rise turn by turn while the attempts ran.
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home, env })).stdout) as { type: string; attemptId: string | null; data: Record<string, unknown> }[];
    const finishedAt = new Map<string, number>();
    events.forEach((e, i) => e.type === 'attempt.finished' && e.attemptId !== null && finishedAt.set(e.attemptId, i));
    const live = events.flatMap((e, i) =>
      e.type === 'attempt.usage' && e.data['live'] === true && i < (finishedAt.get(e.attemptId ?? '') ?? -1) ? [e.data['runCostUsd'] as number] : [],
    );
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(live.every((cost, i) => i === 0 || cost >= (live[i - 1] ?? 0))).toBe(true);
    expect(live.at(-1)).toBeGreaterThan(live[0] ?? 0);
  });
});
