import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { nearestGitTop } from './discover.ts';
import { openRepository } from './repo.ts';

const temp = useTempRepos();

describe('nearestGitTop', () => {
  it('agrees with git from the top, a subdirectory, a symlinked path and a linked worktree', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    await mkdir(join(repo.root, 'src/deep'), { recursive: true });
    await symlink(repo.root, join(repo.dir, 'link'));
    await repo.git(['worktree', 'add', '-q', join(repo.dir, 'linked')]);
    for (const path of [repo.root, join(repo.root, 'src/deep'), join(repo.dir, 'link', 'src'), join(repo.dir, 'linked')]) {
      expect(nearestGitTop(path), path).toBe((await openRepository(path)).root);
    }
  });

  it('answers nothing outside any repository or for a path that does not exist', async () => {
    const dir = await temp.dir();
    expect(nearestGitTop(join(dir, 'missing'))).toBeUndefined();
    expect(nearestGitTop('/')).toBeUndefined();
  });
});
