import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { openRepository } from './repo.ts';
import { copySetupFiles, excludeSetupFiles, literalExcludePattern, untrackedSetupFiles } from './setup-files.ts';
import { commitAll } from './commit.ts';

const temp = useTempRepos();

describe('setup files', () => {
  it('excludes exactly the named path, wildcards escaped', () => {
    expect(literalExcludePattern('.env')).toBe('/.env');
    expect(literalExcludePattern('conf/[a]*.env')).toBe('/conf/\\[a\\]\\*.env');
  });

  it('copies what the checkout has and the worktree lacks, and a commit of everything leaves the untracked ones out', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'tracked.env': 'TRACKED=1\n' } });
    await repo.write('.env', 'A=1\n');
    await repo.write('tracked.env', 'TRACKED=changed-in-checkout\n');
    const worktree = join(await temp.dir(), 'wt');
    await repo.git(['worktree', 'add', '--quiet', '-b', 'work', worktree]);
    const paths = ['.env', '.env.local', 'tracked.env'];
    expect(copySetupFiles(repo.root, worktree, paths)).toEqual(['.env']);
    expect(readFileSync(join(worktree, '.env'), 'utf8')).toBe('A=1\n');
    expect(existsSync(join(worktree, '.env.local'))).toBe(false);
    // A tracked file stays as git checked it out.
    expect(readFileSync(join(worktree, 'tracked.env'), 'utf8')).toBe('TRACKED=1\n');

    const opened = await openRepository(repo.root);
    const base = await repo.git(['rev-parse', 'HEAD']);
    const untracked = await untrackedSetupFiles(opened, base, paths);
    expect(untracked).toEqual(['.env', '.env.local']);
    // Even with no exclude line and the agent's own `git add -f`, the commit leaves .env out.
    await repo.git(['add', '-f', '.env'], worktree);
    writeFileSync(join(worktree, 'new.txt'), 'new\n');
    await commitAll(worktree, 'work', undefined, untracked);
    expect(await repo.git(['ls-tree', '-r', '--name-only', 'work'])).toBe('README.md\nnew.txt\ntracked.env');
    await excludeSetupFiles(opened, untracked);
    expect(readFileSync(join(repo.root, '.git', 'info', 'exclude'), 'utf8')).toContain('/.env\n/.env.local\n');
  });
});
