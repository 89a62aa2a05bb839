import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { filesWithSecrets, outsideSymlinks, parseGrepCounts, symlinkLeavesTree } from './change-scan.ts';

const temp = useTempRepos();

describe('symlinkLeavesTree', () => {
  it.each([
    ['link', '/etc/passwd', true],
    ['link', '~/.ssh', true],
    ['link', '../outside', true],
    ['a/b/link', '../../..', true],
    ['a/b/link', '../../x/../../y', true],
    ['a/link', '../b/file', false],
    ['link', 'sub/file', false],
    ['a/b/link', '../../file', false],
    ['link', '', true],
  ])('%s -> %s leaves: %s', (path, target, leaves) => {
    expect(symlinkLeavesTree(path, target)).toBe(leaves);
  });
});

describe('outsideSymlinks', () => {
  it('lists the symlinks a change adds that point out of the tree, not those inside it or the ones already there', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n' } });
    await symlink('/etc/hosts', join(repo.root, 'old-link'));
    await repo.git(['add', '.']);
    await repo.git(['commit', '-qm', 'old link']);
    const base = await repo.git(['rev-parse', 'HEAD']);
    await symlink('/etc/passwd', join(repo.root, 'passwd'));
    await symlink(repo.root, join(repo.root, 'checkout'));
    await symlink('../../escape', join(repo.root, 'nested-escape'));
    await symlink('README.md', join(repo.root, 'readme-link'));
    await repo.git(['add', '.']);
    await repo.git(['commit', '-qm', 'links']);
    const head = await repo.git(['rev-parse', 'HEAD']);
    expect(await outsideSymlinks(repo.root, base, head)).toEqual([
      { path: 'checkout', target: repo.root },
      { path: 'nested-escape', target: '../../escape' },
      { path: 'passwd', target: '/etc/passwd' },
    ]);
  });
});

describe('filesWithSecrets', () => {
  const secret = 'sk-test-0123456789abcdef';
  it('names the files a change put a secret into, binary ones too, and not a file that held it before', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'notes.md': `an old key ${secret}\n` } });
    const base = await repo.git(['rev-parse', 'HEAD']);
    await repo.write('src/config.js', `export const key = "${secret}";\n`);
    await writeFile(join(repo.root, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(secret), Buffer.from([0])]));
    await repo.write('notes.md', `an old key ${secret}\nmore notes\n`);
    await repo.write('clean.txt', 'nothing here\n');
    await repo.git(['add', '.']);
    await repo.git(['commit', '-qm', 'leak']);
    const head = await repo.git(['rev-parse', 'HEAD']);
    expect((await filesWithSecrets(repo.root, base, head, ['another-secret-value', secret])).sort()).toEqual(['blob.bin', 'src/config.js']);
    expect(await filesWithSecrets(repo.root, base, head, ['not-in-any-file'])).toEqual([]);
    expect(await filesWithSecrets(repo.root, base, head, [])).toEqual([]);
  });

  it('counts a second secret line in a file that already held one', async () => {
    const repo = await temp.repo({ files: { 'notes.md': `${secret}\n` } });
    const base = await repo.git(['rev-parse', 'HEAD']);
    await repo.write('notes.md', `${secret}\nagain ${secret}\n`);
    await repo.git(['commit', '-qam', 'again']);
    expect(await filesWithSecrets(repo.root, base, await repo.git(['rev-parse', 'HEAD']), [secret])).toEqual(['notes.md']);
  });
});

describe('parseGrepCounts', () => {
  it('reads paths with spaces and newlines', () => {
    expect(parseGrepCounts('abc:a b\u00002\nabc:new\nline\u00001', 'abc:')).toEqual(
      new Map([
        ['a b', 2],
        ['new\nline', 1],
      ]),
    );
  });
});
