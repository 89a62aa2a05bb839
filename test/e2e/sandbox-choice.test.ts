// Choosing the sandbox from the command line and the config: on by default where bwrap works, one line when orch
// falls back to none, a refusal (exit 2, nothing written) when a named sandbox cannot start, and `orch doctor`.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../src/sandbox/index.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
/** A machine without bubblewrap, as far as orch can tell. */
const noBwrap = { ORCH_BWRAP: '/nonexistent/bwrap' };
const fallbackLine = /^orch: no sandbox: bwrap is not installed .*; agents and checks run with your rights/m;

describe('choosing the sandbox', () => {
  it.skipIf(!sandboxSupport().available)('sandboxes the agent by default: its HOME is private and the real one is out of sight', async () => {
    const fakeHome = await temp.dir();
    // The agent prints its HOME and writes a file there, then the check looks for what it wrote in the worktree.
    // An empty sandbox section is the default (mode auto); fakeAgentConfig alone would opt out.
    const config = fakeAgentConfig({ printEnv: ['HOME'], files: { 'done.txt': 'ok\n' } }, { sandbox: {} });
    const repo = await temp.repo({ files: { 'orch.config.json': config } });
    const home = await temp.dir();
    const result = await runOrch(['run', 'work', '--target', 'main', '--test-cmd', 'test -f done.txt && test "$HOME" != "$ORCH_REAL_HOME"', '--json'], {
      cwd: repo.root,
      home,
      env: { HOME: fakeHome, ORCH_REAL_HOME: fakeHome },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/no sandbox/);
    const report = JSON.parse(result.stdout) as { attempts: { id: string }[]; verdicts: { passed: boolean }[] };
    expect(report.verdicts[0]?.passed).toBe(true);
    const logs = await runOrch(['logs', report.attempts[0]?.id ?? '', '--raw'], { cwd: repo.root, home });
    expect(logs.stdout).toContain(`HOME=${join(home, 'sandboxes')}`);
  });

  it('falls back to none with one line where bwrap is missing, and still runs', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'done.txt': 'ok\n' } }, { sandbox: {} }) } });
    const home = await temp.dir();
    const result = await runOrch(['run', 'work', '--target', 'main', '--json'], { cwd: repo.root, home, env: noBwrap });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.match(new RegExp(fallbackLine.source, 'gm'))).toHaveLength(1);
    // Said on purpose, no line.
    const again = join(repo.dir, 'again.json');
    await writeFile(again, fakeAgentConfig({ files: { 'again.txt': 'ok\n' } }, { sandbox: {} }));
    const quiet = await runOrch(['run', 'work again', '--target', 'main', '--sandbox', 'none', '--config', again, '--json'], { cwd: repo.root, home, env: noBwrap });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(fallbackLine);
  });

  it('refuses (exit 2, nothing written) when the config or the flag names a sandbox that cannot start', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'done.txt': 'ok\n' } }, { sandbox: { mode: 'bwrap' } }) } });
    const home = await temp.dir();
    const fromConfig = await runOrch(['run', 'work', '--target', 'main'], { cwd: repo.root, home, env: noBwrap });
    expect(fromConfig.exitCode).toBe(2);
    expect(fromConfig.stderr).toContain('sandbox.mode');
    expect(fromConfig.stderr).toContain('bwrap is not installed');
    expect(fromConfig.stderr).toContain('--sandbox none');
    const fromFlag = await runOrch(['run', 'work', '--target', 'main', '--sandbox', 'bwrap', '--config', join(repo.dir, 'none.json')], { cwd: repo.root, home, env: noBwrap });
    expect(fromFlag.exitCode).toBe(2);
    expect(await repo.git(['branch', '--list', 'orch/*'])).toBe('');
    expect(existsSync(join(home, 'worktrees'))).toBe(false);

    const bad = await runOrch(['run', 'work', '--sandbox', 'docker'], { cwd: repo.root, home });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--sandbox must be one of auto, none, bwrap, not 'docker'");
  });

  it('orch doctor says which mode is active and why', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': JSON.stringify({ sandbox: { agents: { aider: 'none' }, allowHosts: ['registry.npmjs.org'] } }) } });
    const home = await temp.dir();
    type Doctor = { sandbox: { active: string; requested: string; source: string; why: string; agents: Record<string, string>; allowHosts: string[] } };
    const here = await runOrch(['doctor', '--json'], { cwd: repo.root, home });
    expect(here.exitCode, here.stderr).toBe(0);
    const report = (JSON.parse(here.stdout) as Doctor).sandbox;
    expect(report).toMatchObject({ requested: 'auto', source: 'default', active: sandboxSupport().available ? 'bwrap' : 'none', agents: { aider: 'none' }, allowHosts: ['registry.npmjs.org'] });

    const missing = JSON.parse((await runOrch(['doctor', '--json'], { cwd: repo.root, home, env: noBwrap })).stdout) as Doctor;
    expect(missing.sandbox.active).toBe('none');
    expect(missing.sandbox.why).toContain('bwrap is not installed');
    const demanded = await runOrch(['doctor', '--sandbox', 'bwrap'], { cwd: repo.root, home, env: noBwrap });
    expect(demanded.exitCode).toBe(2);
    expect(demanded.stdout).toContain('sandbox: refused');
  });
});
