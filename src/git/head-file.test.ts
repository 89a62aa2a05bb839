import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { commitAll, headSha } from './commit.ts';
import { headFromFiles } from './head-file.ts';
import { openRepository } from './repo.ts';
import { addWorktree, removeWorktree } from './worktree.ts';
import { listWorktrees } from './worktree-list.ts';

const temp = useTempRepos();

describe("a worktree's HEAD from git's files", () => {
  it('agrees with git for a linked worktree, the main tree, a detached HEAD and packed refs', async () => {
    const fixture = await temp.repo();
    const repo = await openRepository(fixture.root);
    const start = (await fixture.git(['rev-parse', 'HEAD'])).trim();
    const path = join(fixture.dir, 'wt');
    await addWorktree(repo, { path, branch: 'orch/r/t/1', startSha: start });
    await writeFile(join(path, 'new.txt'), 'new\n');
    const committed = await commitAll(path, 'attempt');
    expect(headFromFiles(path)).toBe(committed);
    expect(headFromFiles(fixture.root)).toBe(start);

    await fixture.git(['pack-refs', '--all']);
    // Packed: the loose file is gone, so the files say nothing and git answers.
    expect(headFromFiles(path)).toBeUndefined();
    expect(await headSha(path)).toBe(committed);

    await fixture.git(['checkout', '--detach', 'HEAD'], path);
    expect(headFromFiles(path)).toBe(committed);
  });

  it('removes a linked worktree as git would: the directory and git\'s record of it', async () => {
    const fixture = await temp.repo();
    const repo = await openRepository(fixture.root);
    const start = (await fixture.git(['rev-parse', 'HEAD'])).trim();
    const path = join(fixture.dir, 'wt');
    await addWorktree(repo, { path, branch: 'orch/r/t/2', startSha: start });
    await removeWorktree(repo, path);
    expect(existsSync(path)).toBe(false);
    expect((await listWorktrees(repo)).map((w) => w.path)).toEqual([fixture.root]);
    // The branch keeps the work; git sees nothing to prune.
    expect((await fixture.git(['worktree', 'prune', '--dry-run', '--verbose'])).trim()).toBe('');
    expect((await fixture.git(['branch', '--list', 'orch/r/t/2'])).trim()).toBe('orch/r/t/2');
  });
});
