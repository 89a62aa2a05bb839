// What an agent prints must not leak or act: secrets from the environment never reach logs, events, the database
// or the audit trail; terminal escape sequences never reach the user's terminal raw. orch's own files are private,
// and a repository cannot point orch's audit trail outside itself with a symbolic link.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefusedWithoutChange, okConfig } from '../helpers/bad-input.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

const secret = 'sk-ant-e2e-leaky-0123456789abcdef';
const osc52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';

/** Every file under `dir`, recursively (symlinks not followed). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

interface RunJson {
  run: { id: string; status: string };
  attempts: { id: string; logPath: string }[];
  auditDir: string;
}

describe('agent output', () => {
  it('never records a secret from the environment, and never prints terminal escape sequences raw', async () => {
    const agent = { printEnv: ['ANTHROPIC_API_KEY'], print: [`clipboard ${osc52}set`, `title \u001b]0;owned\u001b\\ and \u009b2J`], files: { 'x.txt': 'x\n' } };
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig(agent) } });
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const home = join(await temp.dir(), 'home');
    const env = { ANTHROPIC_API_KEY: secret };
    const result = await runOrch(['run', 'leak the key', '--target', 'main', '--test-cmd', 'echo "the check sees $ANTHROPIC_API_KEY"', '--json'], { cwd: repo.root, home, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as RunJson;
    const attempt = report.attempts[0];
    if (attempt === undefined) throw new Error('no attempt');

    // The agent did print the key (so the test tests something), and the log shows where it was.
    const log = readFileSync(attempt.logPath, 'utf8');
    expect(log).toContain('ANTHROPIC_API_KEY=[redacted]');
    // Nowhere under ORCH_HOME (database, WAL, logs) nor in the audit trail, in any file, in any form.
    const files = [...filesUnder(home).filter((path) => !path.includes(`${join(home, 'worktrees')}`)), ...filesUnder(join(repo.root, '.orch'))];
    expect(files.some((path) => path.endsWith('orch.db'))).toBe(true);
    for (const path of files) expect(readFileSync(path).includes(secret), path).toBe(false);
    const events = await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home });
    expect(events.exitCode, events.stderr).toBe(0);
    expect(events.stdout).not.toContain(secret);

    for (const args of [['logs', attempt.id], ['logs', '--raw', attempt.id], ['show', report.run.id], ['events', report.run.id]]) {
      const shown = await runOrch(args, { cwd: repo.root, home, env });
      expect(shown.exitCode, `${args.join(' ')}: ${shown.stderr}`).toBe(0);
      const printed = shown.stdout + shown.stderr;
      expect(printed, args.join(' ')).not.toContain(secret);
      // eslint-disable-next-line no-control-regex -- looking for control characters
      expect(printed, args.join(' ')).not.toMatch(/[\u001b\u0007\u0080-\u009f]/);
      if (args[0] === 'logs') {
        expect(printed).toContain('ANTHROPIC_API_KEY=[redacted]');
        expect(printed).toContain('clipboard set');
      }
    }
  });
});

describe("orch's files", () => {
  it('are private: ORCH_HOME 0700, the database 0600, logs 0700 and 0600', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': okConfig } });
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const home = join(await temp.dir(), 'new-home');
    const result = await runOrch(['run', 'goal', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as RunJson;
    expect(mode(home)).toBe('700');
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(join(home, `orch.db${suffix}`))) expect(mode(join(home, `orch.db${suffix}`)), suffix).toBe('600');
    }
    expect(mode(join(home, 'logs'))).toBe('700');
    expect(mode(join(home, 'logs', 'orch.log'))).toBe('600');
    expect(mode(join(home, 'logs', report.run.id))).toBe('700');
    expect(mode(report.attempts[0]?.logPath ?? '')).toBe('600');
  });

  it('made by an older orch are tightened', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n' } });
    const home = join(await temp.dir(), 'old-home');
    expect((await runOrch(['runs'], { cwd: repo.root, home })).exitCode).toBe(0);
    chmodSync(home, 0o755);
    chmodSync(join(home, 'orch.db'), 0o644);
    chmodSync(join(home, 'logs'), 0o755);
    chmodSync(join(home, 'logs', 'orch.log'), 0o644);
    expect((await runOrch(['runs'], { cwd: repo.root, home })).exitCode).toBe(0);
    expect([mode(home), mode(join(home, 'orch.db')), mode(join(home, 'logs')), mode(join(home, 'logs', 'orch.log'))]).toEqual(['700', '600', '700', '600']);
  });

  it('leave alone an existing ORCH_HOME that is not an orch home', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n' } });
    const home = await temp.dir();
    chmodSync(home, 0o755);
    writeFileSync(join(home, 'mine.txt'), 'x');
    expect((await runOrch(['runs'], { cwd: repo.root, home })).exitCode).toBe(0);
    expect(mode(home)).toBe('755');
    expect(mode(join(home, 'orch.db'))).toBe('600');
  });
});

describe('a .orch symbolic link', () => {
  for (const [name, link] of [
    ['<repo>/.orch', ['.orch']],
    ['<repo>/.orch/runs', ['.orch', 'runs']],
  ] as const) {
    it(`at ${name} is refused before anything is written`, async () => {
      const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
      const outside = join(await temp.dir(), 'elsewhere');
      mkdirSync(outside);
      if (link.length > 1) mkdirSync(join(repo.root, ...link.slice(0, -1)));
      symlinkSync(outside, join(repo.root, ...link));
      const home = await temp.dir();
      await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /\.orch(\/runs)? is a symbolic link[\s\S]*Remove the link/, root: repo.root, home });
      expect(readdirSync(outside)).toEqual([]);
    });
  }
});
