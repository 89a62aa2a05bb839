// `orch clean` and `orch watch` ask the engine's lease who works on a run: a clean-up removes what runs nobody
// works on left behind, and a watch stops, saying so, when the run's orch is gone.
import { describe, expect, it } from 'vitest';
import { orchPaths } from '../../src/domain/paths.ts';
import { Store } from '../../src/store/store.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

describe('orch clean', () => {
  it('removes the worktrees a finished run kept, says what it did, and then finds nothing', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig({ files: { 'a.txt': 'a\n' } }, { keepWorktrees: true }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const ran = await runOrch(['run', 'make a', '--target', 'main', '--json', '--no-tui'], { cwd: repo.root, home });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const worktrees = async () => (await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree ')).length;
    expect(await worktrees()).toBe(2);

    const dry = await runOrch(['clean', '--dry-run', '--json'], { cwd: repo.root, home });
    expect(dry.exitCode, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as { dryRun: boolean; worktrees: { path: string }[]; branches: unknown[]; unrecorded: unknown[] };
    expect(planned).toMatchObject({ dryRun: true, branches: [], unrecorded: [] });
    expect(planned.worktrees).toHaveLength(1);
    expect(await worktrees()).toBe(2);

    const cleaned = await runOrch(['clean'], { cwd: repo.root, home });
    expect(cleaned.stdout).toContain(`removed worktree ${planned.worktrees[0]?.path ?? '?'}`);
    expect(await worktrees()).toBe(1);
    expect((await runOrch(['clean'], { cwd: repo.root, home })).stdout.trim()).toBe('Nothing to clean.');
  });
});

describe('orch watch', () => {
  it('stops with a clear message when the orch that ran the run is gone', async () => {
    const home = await temp.dir();
    const store = new Store(orchPaths(home).database);
    // A run left marked running by an orch whose pid no longer exists.
    store.runs.create({ id: 'run_abandoned00001', projectPath: '/nonexistent', goal: 'g', strategy: 'single', params: {}, baseRef: 'main', baseSha: 'a'.repeat(40), target: 'main', settings: {} }, 999_999_999);
    store.close();
    const watched = await runOrch(['watch', 'run_abandoned00001', '--no-tui'], { cwd: home, home });
    expect(watched.exitCode).toBe(1);
    expect(watched.stderr).toContain('the orch process that ran run_abandoned00001 (pid 999999999) is gone; resume the run with: orch resume run_abandoned00001');
  });
});
