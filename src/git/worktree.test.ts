import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrchError, WorktreeError } from '../domain/errors.ts';
import { snapshotTree, useTempRepos } from '../../test/helpers/git-fixture.ts';
import { openRepository } from './repo.ts';
import { addWorktree, removeWorktree } from './worktree.ts';
import { listWorktrees, worktreeWithBranchCheckedOut } from './worktree-list.ts';

const temp = useTempRepos();

async function setup() {
  const fixture = await temp.repo({ files: { 'README.md': 'hello\n', 'src/a.ts': 'export const a = 1;\n' } });
  // The user is mid-work: a modified file, a staged file, an untracked file.
  await fixture.write('README.md', 'hello, edited\n');
  await fixture.write('staged.txt', 'staged\n');
  await fixture.git(['add', 'staged.txt']);
  await fixture.write('notes.txt', 'untracked\n');
  const repo = await openRepository(fixture.root);
  const start = await fixture.git(['rev-parse', 'HEAD']);
  return { fixture, repo, start };
}

describe('addWorktree', () => {
  it("creates the branch and worktree outside the repo and leaves the user's tree and index untouched", async () => {
    const { fixture, repo, start } = await setup();
    const before = await snapshotTree(fixture.root);
    const path = join(fixture.dir, 'home', 'worktrees', 'attempt-1');
    await addWorktree(repo, { path, branch: 'orch/r1/gen/0', startSha: start });
    expect(await snapshotTree(fixture.root)).toEqual(before);
    expect(await fixture.git(['rev-parse', 'orch/r1/gen/0'])).toBe(start);
    expect(await fixture.read('../home/worktrees/attempt-1/src/a.ts')).toBe('export const a = 1;\n');
    // The user's uncommitted work does not leak into the attempt.
    expect(existsSync(join(path, 'notes.txt'))).toBe(false);
    expect(await fixture.read('../home/worktrees/attempt-1/README.md')).toBe('hello\n');

    const worktrees = await listWorktrees(repo);
    expect(worktrees.map((w) => [w.path, w.branch, w.head])).toEqual([
      [fixture.root, 'main', start],
      [path, 'orch/r1/gen/0', start],
    ]);
    expect(await worktreeWithBranchCheckedOut(repo, 'orch/r1/gen/0')).toBe(path);
    expect(await worktreeWithBranchCheckedOut(repo, 'main')).toBe(fixture.root);
    expect(await worktreeWithBranchCheckedOut(repo, 'other')).toBeNull();
  });

  it("does not run the user's post-checkout hook", async () => {
    const { fixture, repo, start } = await setup();
    const marker = join(fixture.dir, 'hook-ran');
    const hook = join(fixture.root, '.git', 'hooks', 'post-checkout');
    await writeFile(hook, `#!/bin/sh\ntouch '${marker}'\n`);
    await chmod(hook, 0o755);
    await addWorktree(repo, { path: join(fixture.dir, 'wt'), branch: 'orch/r/t/0', startSha: start });
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses paths inside the repository (also through a symlink), existing paths and non-orch branches', async () => {
    const { fixture, repo, start } = await setup();
    const inside = addWorktree(repo, { path: join(fixture.root, 'wt'), branch: 'orch/r/t/0', startSha: start });
    await expect(inside).rejects.toBeInstanceOf(WorktreeError);
    await symlink(fixture.root, join(fixture.dir, 'link'));
    const viaLink = addWorktree(repo, { path: join(fixture.dir, 'link', 'wt'), branch: 'orch/r/t/0', startSha: start });
    await expect(viaLink).rejects.toBeInstanceOf(WorktreeError);
    await mkdir(join(fixture.dir, 'taken'));
    const taken = addWorktree(repo, { path: join(fixture.dir, 'taken'), branch: 'orch/r/t/0', startSha: start });
    await expect(taken).rejects.toBeInstanceOf(WorktreeError);
    for (const branch of ['main', 'feature', '--force', 'orch/a b']) {
      const bad = addWorktree(repo, { path: join(fixture.dir, 'wt'), branch, startSha: start });
      await expect(bad, branch).rejects.toBeInstanceOf(OrchError);
    }
    await expect(addWorktree(repo, { path: join(fixture.dir, 'wt'), branch: 'orch/r/t/0', startSha: 'HEAD' })).rejects.toThrow(TypeError);
    expect(await fixture.git(['branch', '--list', 'orch/*'])).toBe('');
    expect((await listWorktrees(repo)).length).toBe(1);
  });
});

describe('removeWorktree', () => {
  it('removes a worktree with uncommitted work, then prunes; keeps the branch', async () => {
    const { fixture, repo, start } = await setup();
    const before = await snapshotTree(fixture.root);
    const path = join(fixture.dir, 'wt');
    await addWorktree(repo, { path, branch: 'orch/r/t/0', startSha: start });
    await writeFile(join(path, 'README.md'), 'agent edit\n');
    await writeFile(join(path, 'new.txt'), 'new\n');
    await removeWorktree(repo, path);
    expect(existsSync(path)).toBe(false);
    expect((await listWorktrees(repo)).map((w) => w.path)).toEqual([fixture.root]);
    expect(await fixture.git(['rev-parse', 'orch/r/t/0'])).toBe(start);
    expect(await snapshotTree(fixture.root)).toEqual(before);
  });

  it('prunes a worktree whose directory is already gone', async () => {
    const { fixture, repo, start } = await setup();
    const path = join(fixture.dir, 'wt');
    await addWorktree(repo, { path, branch: 'orch/r/t/0', startSha: start });
    await rm(path, { recursive: true });
    expect((await listWorktrees(repo))[1]?.prunable).toBe(true);
    await removeWorktree(repo, path);
    expect((await listWorktrees(repo)).length).toBe(1);
  });

  it('refuses the main working tree and directories that are not its worktrees', async () => {
    const { fixture, repo } = await setup();
    await expect(removeWorktree(repo, fixture.root)).rejects.toBeInstanceOf(WorktreeError);
    const stranger = join(fixture.dir, 'stranger');
    await mkdir(stranger);
    await writeFile(join(stranger, 'keep.txt'), 'mine\n');
    await expect(removeWorktree(repo, stranger)).rejects.toBeInstanceOf(WorktreeError);
    expect(existsSync(join(stranger, 'keep.txt'))).toBe(true);
    expect(existsSync(join(fixture.root, 'notes.txt'))).toBe(true);
  });
});
