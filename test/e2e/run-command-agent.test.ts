// orch run end to end with the `command` agent: real git, real SQLite, the real CLI as a child process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotTree, useTempRepos, type TreeSnapshot } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

function withoutAudit(snapshot: TreeSnapshot): TreeSnapshot {
  const files = Object.fromEntries(Object.entries(snapshot.files).filter(([path]) => !path.startsWith('.orch/')));
  return { ...snapshot, files };
}

describe('orch run with a command agent', () => {
  it('commits the agent work on its branch, checks it, merges it into the target, and leaves the user tree alone', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'src/feature.txt': 'done\n' } }) } });
    const home = await temp.dir();
    // The user works on another branch, with staged, unstaged and untracked changes.
    await repo.git(['switch', '--quiet', '-c', 'work']);
    await repo.write('README.md', 'hello, edited but not committed\n');
    await repo.write('notes.txt', 'untracked\n');
    await repo.write('staged.txt', 'staged\n');
    await repo.git(['add', 'staged.txt']);
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const before = await snapshotTree(repo.root);

    const result = await runOrch(['run', 'add the feature file', '--target', 'main', '--test-cmd', 'test -f src/feature.txt', '--json'], {
      cwd: repo.root,
      home,
    });
    expect(result.stderr).toContain('merge merged');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { run: { id: string; status: string }; attempts: { branch: string; status: string }[]; merges: { status: string }[]; auditDir: string };
    expect(report.run.status).toBe('succeeded');
    expect(report.merges[0]?.status).toBe('merged');

    // main moved to a commit holding the agent's file; the attempt branch holds it too.
    expect(await repo.git(['show', 'main:src/feature.txt'])).toBe('done');
    expect(await repo.git(['rev-parse', 'main'])).not.toBe(mainBefore);
    expect(report.attempts[0]?.branch).toMatch(/^orch\/run_[0-9a-z]+\/main\/1$/);
    expect(await repo.git(['show', `${report.attempts[0]?.branch ?? ''}:src/feature.txt`])).toBe('done');

    // The user's checkout: same files, same status, same index, same HEAD.
    expect(withoutAudit(await snapshotTree(repo.root))).toEqual(withoutAudit(before));
    // The audit trail is there, and git ignores it through info/exclude (not .gitignore).
    expect(existsSync(join(report.auditDir, 'result.md'))).toBe(true);
    expect(readFileSync(join(report.auditDir, 'goal.md'), 'utf8')).toContain('add the feature file');
    expect(readFileSync(join(repo.root, '.git', 'info', 'exclude'), 'utf8')).toContain('/.orch/');
    // No worktree is left behind.
    expect(await repo.git(['worktree', 'list', '--porcelain'])).not.toContain(home);

    const shown = await runOrch(['show', report.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain('succeeded');
    const runs = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    expect((JSON.parse(runs.stdout) as { id: string }[]).map((r) => r.id)).toEqual([report.run.id]);
    const attemptId = (report.attempts[0] as unknown as { id: string }).id;
    const logs = await runOrch(['logs', attemptId], { cwd: repo.root, home });
    expect(logs.stdout).toContain('fake agent got a prompt');
    const unknown = await runOrch(['logs', 'att_nope'], { cwd: repo.root, home });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("No attempt 'att_nope'");
  });

  it('does not merge an attempt that fails the checks, and keeps its work on its branch', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'broken.txt': 'x\n' } }) } });
    const home = await temp.dir();
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const mainBefore = await repo.git(['rev-parse', 'main']);

    const result = await runOrch(['run', 'break it', '--target', 'main', '--test-cmd', 'exit 1', '--json'], { cwd: repo.root, home });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { run: { status: string; reason: string }; attempts: { branch: string }[]; verdicts: { passed: boolean }[] };
    expect(report.run.status).toBe('failed');
    expect(report.run.reason).toContain('failed its checks');
    expect(report.verdicts[0]?.passed).toBe(false);
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(await repo.git(['show', `${report.attempts[0]?.branch ?? ''}:broken.txt`])).toBe('x');
  });

  it('fast-forwards a clean checked-out target through git itself', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'new.txt': 'new\n' } }) } });
    const home = await temp.dir();
    const result = await runOrch(['run', 'add new.txt'], { cwd: repo.root, home });
    expect(result.exitCode).toBe(0);
    expect(await repo.read('new.txt')).toBe('new\n');
    expect(await repo.git(['status', '--porcelain', '--untracked-files=no'])).toBe('');
  });

  it('marks an agent that goes silent as stuck and kills it', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ hang: true, print: ['working'] }) } });
    const home = await temp.dir();
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const result = await runOrch(['run', 'hang', '--target', 'main', '--idle-timeout', '1', '--json'], { cwd: repo.root, home });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { attempts: { status: string; reason: string }[] };
    expect(report.attempts[0]).toMatchObject({ status: 'failed', reason: 'stuck' });
  });

  it("does not merge an agent's change to orch.config.json (orch's own rules) unreviewed", async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'orch.config.json': '{ "checks": { "test": "true" } }\n' } }) } });
    const home = await temp.dir();
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const result = await runOrch(['run', 'loosen the checks', '--target', 'main', '--json'], { cwd: repo.root, home });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { merges: { status: string; message: string }[] };
    expect(report.merges[0]?.status).toBe('failed');
    expect(report.merges[0]?.message).toContain('changes orch.config.json');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
  });
});
