// The strategy API from a user's side: a module of their own, parameters from -S and --params, clear errors.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, repoRoot, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

interface Report {
  run: { status: string; strategy: string; params: Record<string, unknown> };
  attempts: { stepKey: string; model: string | null }[];
  merges: { status: string }[];
}

describe('strategies of your own', () => {
  it('runs the documented example strategy as written', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'out.txt': 'ok\n' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const example = join(repoRoot, 'examples/strategies/two-then-refine.ts');
    const result = await runOrch(['run', 'write out.txt', '--strategy', example, '-S', 'models=opus,sonnet', '--target', 'main', '--test-cmd', 'test -f out.txt', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.strategy).toBe('two-then-refine');
    expect(report.attempts.map((a) => [a.stepKey, a.model])).toEqual([
      ['try/0', 'opus'],
      ['try/1', 'sonnet'],
    ]);
    expect(report.merges[0]?.status).toBe('merged');
  });

  it("loads a module outside orch's folder that imports 'orch', with --params", async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'a.txt': 'a\n' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const module = join(await temp.dir(), 'mine.mjs');
    await writeFile(
      module,
      `import { defineStrategy, z } from 'orch';
export default defineStrategy({
  name: 'mine',
  description: 'n attempts, merge the first that passes',
  params: z.object({ n: z.number().int().min(1) }),
  async execute(ctx, goal, params) {
    for (let i = 0; i < params.n; i++) {
      const attempt = await ctx.attempt('a/' + i);
      const verdict = await ctx.judge('j/' + i, attempt);
      if (verdict.passed) {
        const merge = await ctx.merge('merge', attempt);
        return { status: 'succeeded', summary: 'mine merged ' + attempt.id, merge };
      }
    }
    return { status: 'failed', summary: 'none passed' };
  },
});
`,
    );
    const result = await runOrch(['run', 'goal', '--strategy', module, '--params', '{"n": 2}', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.params).toEqual({ n: 2 });
    expect(report.attempts).toHaveLength(1);
  });

  const refusals: [string, string[], RegExp][] = [
    ['an out-of-range parameter', ['--strategy', 'best-of-n', '-S', 'n=101'], /Invalid parameters for strategy 'best-of-n':\n {2}- n: Too big/],
    ['an unknown parameter', ['--strategy', 'best-of-n', '-S', 'm=2'], /Unrecognized key.*"m"|m/],
    ['a malformed -S', ['--strategy', 'best-of-n', '-S', 'n'], /-S takes key=value, not 'n'/],
    ['--params that is not JSON', ['--strategy', 'best-of-n', '--params', '{n:2}'], /--params is not valid JSON/],
    ['an unknown strategy', ['--strategy', 'best-of-many'], /Unknown strategy 'best-of-many'/],
    ['a missing module', ['--strategy', './nope.ts'], /strategy module .*nope\.ts does not exist/],
    ['a bad selection order', ['--select', 'checks,vibes'], /unknown selection criterion 'vibes'/],
    ['a bad budget', ['--max-cost', 'lots'], /--max-cost must be a positive amount of US dollars/],
  ];
  for (const [name, args, message] of refusals) {
    it(`refuses ${name}`, async () => {
      const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({}) } });
      const result = await runOrch(['run', 'goal', ...args], { cwd: repo.root, home: await temp.dir() });
      expect(result.stderr).toMatch(message);
      expect(result.exitCode).toBe(2);
    });
  }
});
