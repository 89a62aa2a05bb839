import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrchError, RepositoryError } from '../domain/errors.ts';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { branchExists, currentBranch, isShallow, isWorkingTreeClean, openRepository, resolveCommit } from './repo.ts';

const temp = useTempRepos();
const fixture = temp.repo;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrchError);
  return `${(error as OrchError).code}: ${(error as OrchError).message} ${(error as OrchError).hint ?? ''}`;
}

describe('openRepository', () => {
  it('finds the root, git dir and common dir from a subdirectory', async () => {
    const repo = await fixture();
    await mkdir(join(repo.root, 'a', 'b'), { recursive: true });
    const opened = await openRepository(join(repo.root, 'a', 'b'));
    expect(opened).toEqual({ root: repo.root, gitDir: join(repo.root, '.git'), commonDir: join(repo.root, '.git') });
  });

  it('in a linked worktree, reports that tree as root and the main .git as common dir', async () => {
    const repo = await fixture();
    const path = join(repo.dir, 'linked');
    await repo.git(['worktree', 'add', '--quiet', '-b', 'side', path]);
    const opened = await openRepository(path);
    expect(opened.root).toBe(path);
    expect(opened.commonDir).toBe(join(repo.root, '.git'));
    expect(opened.gitDir).toBe(join(repo.root, '.git', 'worktrees', 'linked'));
  });

  it('explains a directory that is not a repository, or does not exist', async () => {
    const dir = await temp.dir();
    expect(await codeOf(openRepository(dir))).toMatch(/^not_a_repository: '.*' is not a git repository\. Run orch inside a repository, or pass --repo/);
    expect(await codeOf(openRepository(join(dir, 'missing')))).toMatch(/^not_a_repository: .*does not exist/);
  });

  it('refuses a bare repository', async () => {
    const repo = await fixture();
    const bare = join(repo.dir, 'bare.git');
    await repo.git(['clone', '--quiet', '--bare', repo.root, bare]);
    expect(await codeOf(openRepository(bare))).toMatch(/^repository_state: .*is a bare repository.*git clone/);
  });

  it('refuses a repository without commits, and the inside of .git', async () => {
    const empty = await fixture({ empty: true });
    expect(await codeOf(openRepository(empty.root))).toMatch(/^repository_state: .*has no commits yet\. Make a first commit, then run orch again\./);
    const repo = await fixture();
    expect(await codeOf(openRepository(join(repo.root, '.git')))).toMatch(/^not_a_repository: .*inside a \.git directory/);
  });
});

describe('resolveCommit', () => {
  it('resolves branches, tags and relative refs to full shas', async () => {
    const repo = await fixture();
    const first = await repo.git(['rev-parse', 'HEAD']);
    const second = await repo.commit('two', { 'b.txt': 'b\n' });
    await repo.git(['tag', 'v1', first]);
    expect(await resolveCommit(repo.root, 'main')).toBe(second);
    expect(await resolveCommit(repo.root, 'v1')).toBe(first);
    expect(await resolveCommit(repo.root, 'HEAD~1')).toBe(first);
    expect(await resolveCommit(repo.root, first.slice(0, 8))).toBe(first);
  });

  it('says which ref is unknown, and refuses option-like names before git sees them', async () => {
    const repo = await fixture();
    expect(await codeOf(resolveCommit(repo.root, 'nope'))).toMatch(/^ref_not_found: Unknown ref 'nope'/);
    expect(await codeOf(resolveCommit(repo.root, 'nope', { what: 'base ref' }))).toMatch(/^ref_not_found: Unknown base ref 'nope'/);
    expect(await codeOf(resolveCommit(repo.root, '--upload-pack=x'))).toMatch(/^usage: '--upload-pack=x' is not a valid ref: names may not start with '-'/);
    expect(await codeOf(resolveCommit(repo.root, 'main\nHEAD'))).toMatch(/^usage: .*control characters/);
    // A tree is not a commit.
    expect(await codeOf(resolveCommit(repo.root, 'HEAD^{tree}'))).toMatch(/^ref_not_found/);
  });
});

describe('working tree state', () => {
  it('reports the current branch, or null when detached', async () => {
    const repo = await fixture();
    expect(await currentBranch(repo.root)).toBe('main');
    await repo.git(['checkout', '--quiet', '--detach']);
    expect(await currentBranch(repo.root)).toBeNull();
  });

  it('counts staged and unstaged tracked changes as dirty, untracked files not', async () => {
    const repo = await fixture();
    expect(await isWorkingTreeClean(repo.root)).toBe(true);
    await repo.write('untracked.txt', 'x\n');
    expect(await isWorkingTreeClean(repo.root)).toBe(true);
    await repo.write('README.md', 'changed\n');
    expect(await isWorkingTreeClean(repo.root)).toBe(false);
    await repo.git(['add', 'README.md']);
    expect(await isWorkingTreeClean(repo.root)).toBe(false);
  });

  it('knows which branches exist and whether the clone is shallow', async () => {
    const repo = await fixture();
    await repo.commit('two');
    expect(await branchExists(repo.root, 'main')).toBe(true);
    expect(await branchExists(repo.root, 'orch/x/y/0')).toBe(false);
    await expect(branchExists(repo.root, '-D')).rejects.toBeInstanceOf(OrchError);
    expect(await isShallow(repo.root)).toBe(false);
    const shallow = join(repo.dir, 'shallow');
    await repo.git(['clone', '--quiet', '--depth=1', `file://${repo.root}`, shallow]);
    expect(await isShallow(shallow)).toBe(true);
  });
});

it('RepositoryError is what callers catch', async () => {
  const repo = await fixture({ empty: true });
  await expect(openRepository(repo.root)).rejects.toBeInstanceOf(RepositoryError);
});
