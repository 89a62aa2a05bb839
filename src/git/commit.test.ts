import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotTree, useTempRepos } from '../../test/helpers/git-fixture.ts';
import { commitAll, headSha } from './commit.ts';
import { openRepository } from './repo.ts';
import { addWorktree } from './worktree.ts';

const temp = useTempRepos();

async function attemptWorktree() {
  const fixture = await temp.repo();
  const repo = await openRepository(fixture.root);
  const start = await headSha(fixture.root);
  const path = join(fixture.dir, 'wt');
  await addWorktree(repo, { path, branch: 'orch/r/t/0', startSha: start });
  return { fixture, path, start };
}

describe('commitAll', () => {
  it('returns null when there is nothing to commit', async () => {
    const { path, start } = await attemptWorktree();
    expect(await commitAll(path, 'nothing')).toBeNull();
    expect(await headSha(path)).toBe(start);
  });

  it("commits everything as orch, with no user.name configured, and leaves the user's tree alone", async () => {
    const { fixture, path, start } = await attemptWorktree();
    await fixture.write('user-wip.txt', 'wip\n');
    const before = await snapshotTree(fixture.root);
    await writeFile(join(path, 'README.md'), 'changed\n');
    await mkdir(join(path, 'dir'));
    await writeFile(join(path, 'dir', 'new.txt'), 'new\n');
    await writeFile(join(path, '.gitignore'), 'ignored.log\n');
    await writeFile(join(path, 'ignored.log'), 'noise\n');

    const sha = await commitAll(path, 'orch: attempt leftovers\n\n# not a comment: kept');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await headSha(path)).toBe(sha);
    const log = await fixture.git(['log', '-1', '--format=%an <%ae>|%cn <%ce>|%P|%B', sha ?? '']);
    expect(log.trimEnd()).toBe(`orch <orch@localhost>|orch <orch@localhost>|${start}|orch: attempt leftovers\n\n# not a comment: kept`);
    expect((await fixture.git(['show', '--name-only', '--format=', sha ?? ''])).split('\n').sort()).toEqual(['.gitignore', 'README.md', 'dir/new.txt']);
    // Ignored files stay out of the commit and the worktree is clean afterwards.
    expect(await fixture.git(['status', '--porcelain'], path)).toBe('');
    expect(await snapshotTree(fixture.root)).toEqual(before);
  });

  it('uses a configured identity, and skips hooks that would block or hang', async () => {
    const { fixture, path } = await attemptWorktree();
    for (const name of ['pre-commit', 'prepare-commit-msg', 'commit-msg']) {
      const hook = join(fixture.root, '.git', 'hooks', name);
      await writeFile(hook, '#!/bin/sh\nexit 1\n');
      await chmod(hook, 0o755);
    }
    await writeFile(join(path, 'a.txt'), 'a\n');
    const sha = await commitAll(path, 'msg', { name: 'Bot', email: 'bot@example.com' });
    expect(await fixture.git(['log', '-1', '--format=%an <%ae>', sha ?? ''])).toBe('Bot <bot@example.com>');
  });
});
