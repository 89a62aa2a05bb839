import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { changedLines, diffStat, diffText } from './diff.ts';

const temp = useTempRepos();

describe('diffStat', () => {
  it('counts lines per file, including odd paths, renames and binaries', async () => {
    const repo = await temp.repo({ files: { 'a.txt': '1\n2\n3\n', 'old name.txt': 'line\n'.repeat(20) } });
    const from = await repo.git(['rev-parse', 'HEAD']);
    await repo.git(['mv', 'old name.txt', 'new name.txt']);
    const to = await repo.commit('change', {
      'a.txt': '1\ntwo\n3\n4\n',
      'ünïcode "quoted"\ttab.txt': 'x\n',
      'bin.dat': '\0\x01\x02binary',
    });
    const stat = await diffStat(repo.root, from, to);
    const byPath = Object.fromEntries(stat.files.map((file) => [file.path, file]));
    expect(byPath['a.txt']).toEqual({ path: 'a.txt', insertions: 2, deletions: 1, binary: false });
    expect(byPath['ünïcode "quoted"\ttab.txt']).toEqual({ path: 'ünïcode "quoted"\ttab.txt', insertions: 1, deletions: 0, binary: false });
    expect(byPath['bin.dat']).toEqual({ path: 'bin.dat', insertions: 0, deletions: 0, binary: true });
    expect(byPath['new name.txt']).toEqual({ path: 'new name.txt', oldPath: 'old name.txt', insertions: 0, deletions: 0, binary: false });
    expect(stat).toMatchObject({ filesChanged: 4, insertions: 3, deletions: 1 });
    expect(changedLines(stat)).toBe(4);
  });

  it('is empty between equal commits', async () => {
    const repo = await temp.repo();
    const head = await repo.git(['rev-parse', 'HEAD']);
    expect(await diffStat(repo.root, head, head)).toEqual({ filesChanged: 0, insertions: 0, deletions: 0, files: [] });
  });
});

describe('diffText', () => {
  it('returns the patch, cut at maxChars', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const from = await repo.git(['rev-parse', 'HEAD']);
    const to = await repo.commit('big', { 'a.txt': 'a\n' + 'more\n'.repeat(5000) });
    const full = await diffText(repo.root, from, to);
    expect(full.truncated).toBe(false);
    expect(full.text).toContain('diff --git a/a.txt b/a.txt');
    expect(full.text).toContain('+more');
    const cut = await diffText(repo.root, from, to, { maxChars: 200 });
    expect(cut.truncated).toBe(true);
    expect(cut.text).toHaveLength(200);
    expect(full.text.startsWith(cut.text)).toBe(true);
  });

  it('refuses anything but full shas (no refs or options reach git)', async () => {
    const repo = await temp.repo();
    await expect(diffText(repo.root, '--output=/tmp/x', 'HEAD')).rejects.toThrow(TypeError);
  });
});
