import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { diffStat } from './diff.ts';
import { changedPaths, commitReader } from './tree-files.ts';

const temp = useTempRepos();

describe('commitReader', () => {
  it('reads files of the commit, not of the worktree, and answers null for what is absent or not a file', async () => {
    const repo = await temp.repo({ files: { 'package.json': '{"scripts":{"test":"vitest"}}\n', 'src/Makefile': 'test:\n\ttrue\n' } });
    const sha = await repo.git(['rev-parse', 'HEAD']);
    await repo.write('package.json', 'changed in the worktree, not committed\n');
    const read = commitReader(repo.root, sha);
    expect(await read('package.json')).toBe('{"scripts":{"test":"vitest"}}');
    expect(await read('src/Makefile')).toBe('test:\n\ttrue');
    expect(await read('Makefile')).toBeNull();
    expect(await read('src')).toBeNull(); // a directory
    expect(await read('go.mod')).toBeNull();
  });
});

describe('changedPaths', () => {
  it.each([
    { first: 'nothing', label: 'asked alone' },
    { first: 'diffStat', label: 'after the diff stat asked git for it (renames found there)' },
  ])('lists additions, changes and deletions, a rename as both, $label', async ({ first }) => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' } });
    const from = await repo.git(['rev-parse', 'HEAD']);
    await repo.git(['mv', 'c.txt', 'renamed.txt']);
    await repo.git(['rm', '-q', 'b.txt']);
    const to = await repo.commit('change', { 'a.txt': 'A\n', 'new.txt': 'n\n' });
    if (first === 'diffStat') expect((await diffStat(repo.root, from, to)).files.find((file) => file.oldPath === 'c.txt')?.path).toBe('renamed.txt');
    const changes = await changedPaths(repo.root, from, to);
    expect([...changes].sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a.txt', kind: 'modified' },
      { path: 'b.txt', kind: 'deleted' },
      { path: 'c.txt', kind: 'deleted' },
      { path: 'new.txt', kind: 'added' },
      { path: 'renamed.txt', kind: 'added' },
    ]);
  });
});
