import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { ensureExcluded } from './exclude.ts';
import { openRepository } from './repo.ts';

const temp = useTempRepos();

describe('ensureExcluded', () => {
  it('appends once to info/exclude, never to .gitignore, and git honours it', async () => {
    const fixture = await temp.repo({ files: { '.gitignore': 'node_modules\n' } });
    const repo = await openRepository(fixture.root);
    const exclude = join(repo.commonDir, 'info', 'exclude');
    await writeFile(exclude, '# user line without newline');

    expect(await ensureExcluded(repo, '/.orch/')).toBe(true);
    expect(await ensureExcluded(repo, '/.orch/')).toBe(false);
    expect(await readFile(exclude, 'utf8')).toBe('# user line without newline\n/.orch/\n');
    expect(await fixture.read('.gitignore')).toBe('node_modules\n');

    await mkdir(join(fixture.root, '.orch'));
    await fixture.write('.orch/report.md', 'r\n');
    expect(await fixture.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');
  });

  it('creates info/exclude when missing, and from a linked worktree writes the shared one', async () => {
    const fixture = await temp.repo();
    const linked = join(fixture.dir, 'linked');
    await fixture.git(['worktree', 'add', '--quiet', '--detach', linked]);
    await rm(join(fixture.root, '.git', 'info'), { recursive: true, force: true });
    expect(await ensureExcluded(await openRepository(linked), '/.orch/')).toBe(true);
    expect(await readFile(join(fixture.root, '.git', 'info', 'exclude'), 'utf8')).toBe('/.orch/\n');
  });

  it('refuses patterns that would add more than one line', async () => {
    const repo = await openRepository((await temp.repo()).root);
    await expect(ensureExcluded(repo, '/.orch/\n*')).rejects.toThrow(TypeError);
    await expect(ensureExcluded(repo, '  ')).rejects.toThrow(TypeError);
  });
});
