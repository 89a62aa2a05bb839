// What start-up shortcuts must not change: `orch --help` from the build's recording says what the CLI says, and
// `orch runs` finds its project (without git when it can) as git would.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.ts';
import { Store } from '../../src/store/store.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch, tsxLoader } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

function recordRuns(home: string, projectPath: string, ids: readonly string[]): void {
  const store = new Store(join(home, 'orch.db'));
  for (const id of ids) {
    store.runs.create({ id, projectPath, goal: `goal of ${id}`, strategy: 'single', params: {}, baseRef: 'main', baseSha: '0'.repeat(40), target: 'main', settings: {} }, process.pid);
    store.runs.transition(id, 'succeeded', { reason: 'done' });
  }
  store.close();
}

describe('start-up', () => {
  it('orch --help, -h, help, --version and a bare orch print what the CLI itself prints', async () => {
    const home = await temp.dir();
    // The CLI from its sources: no recording involved.
    const cli = (args: string[]) => run([process.execPath, '--import', tsxLoader, join(repoRoot, 'src/cli/main.ts'), ...args], { cwd: home, env: process.env });
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/^Usage: orch \[options\] \[command\]/);
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await runOrch(args, { cwd: home, home });
      expect({ args, exitCode: result.exitCode, stdout: result.stdout }).toEqual({ args, exitCode: 0, stdout: help.stdout });
    }
    const version = await runOrch(['--version'], { cwd: home, home });
    expect(version.stdout).toBe((await cli(['--version'])).stdout);
    const bare = await runOrch([], { cwd: home, home });
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toBe(help.stdout);
  });

  it('orch runs lists the project around the working directory, from any subdirectory, and every run outside one', async () => {
    const home = await temp.dir();
    const mine = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const other = await temp.repo({ files: { 'b.txt': 'b\n' } });
    recordRuns(home, mine.root, ['run_mine000001']);
    recordRuns(home, other.root, ['run_other00001']);
    await mkdir(join(mine.root, 'src/deep'), { recursive: true });
    for (const cwd of [mine.root, join(mine.root, 'src/deep')]) {
      const listed = await runOrch(['runs'], { cwd, home });
      expect(listed.exitCode).toBe(0);
      expect(listed.stdout).toContain('run_mine000001');
      expect(listed.stdout).not.toContain('run_other00001');
    }
    const outside = await runOrch(['runs'], { cwd: home, home });
    expect(outside.stdout).toContain('run_mine000001');
    expect(outside.stdout).toContain('run_other00001');
  });

  it('orch runs | head: a reader that stops early is no error', async () => {
    const home = await temp.dir();
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    // More than a pipe holds (64 KiB), so orch is still writing when head has gone.
    recordRuns(home, repo.root, Array.from({ length: 1200 }, (_, i) => `run_many${String(i).padStart(6, '0')}`));
    const piped = await run(['/bin/bash', '-c', `set -o pipefail; '${process.execPath}' '${repoRoot}/bin/orch.js' runs --limit 1200 | head -1`], {
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home },
    });
    expect(piped.stdout).toMatch(/^run_many001199 /);
    expect(piped.stderr).toBe('');
    // Quiet, as git is: orch ends with 141 (SIGPIPE's code) or 0 when the reader had gone before the last write.
    expect([0, 141]).toContain(piped.exitCode);
  });
});
