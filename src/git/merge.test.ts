import { describe, expect, it } from 'vitest';
import { RepositoryError } from '../domain/errors.ts';
import { snapshotTree, useTempRepos, type TempRepo } from '../../test/helpers/git-fixture.ts';
import { commitTree, mergeTree } from './merge.ts';
import { isAncestor, updateRef } from './refs.ts';

const temp = useTempRepos();

/** main plus two branches `left` and `right` made from it without touching main's checkout afterwards. */
async function forked(leftFiles: Record<string, string>, rightFiles: Record<string, string>) {
  const repo = await temp.repo({ files: { 'f.txt': '1\n2\n3\n', 'other.txt': 'o\n' } });
  const base = await repo.git(['rev-parse', 'HEAD']);
  const left = await branchCommit(repo, 'left', leftFiles);
  const right = await branchCommit(repo, 'right', rightFiles);
  // The user is mid-work on main.
  await repo.write('other.txt', 'user edit\n');
  await repo.write('wip.txt', 'untracked\n');
  return { repo, base, left, right };
}

async function branchCommit(repo: TempRepo, branch: string, files: Record<string, string>): Promise<string> {
  await repo.git(['checkout', '--quiet', '-b', branch, 'main']);
  const sha = await repo.commit(branch, files);
  await repo.git(['checkout', '--quiet', 'main']);
  return sha;
}

describe('mergeTree + commitTree + updateRef', () => {
  it('merges cleanly into a ref without touching the working tree or index', async () => {
    const { repo, base, left, right } = await forked({ 'f.txt': 'one\n2\n3\n' }, { 'f.txt': '1\n2\nthree\n', 'new.txt': 'n\n' });
    await repo.git(['branch', 'target', left]);
    const before = await snapshotTree(repo.root);

    const merged = await mergeTree(repo.root, left, right);
    expect(merged.clean).toBe(true);
    const commit = await commitTree(repo.root, merged.tree, [left, right], 'orch: merge right');
    await updateRef(repo.root, 'refs/heads/target', commit, left);

    expect(await repo.git(['show', 'target:f.txt'])).toBe('one\n2\nthree');
    expect(await repo.git(['show', 'target:new.txt'])).toBe('n');
    expect(await repo.git(['log', '-1', '--format=%P|%an <%ae>|%s', 'target'])).toBe(`${left} ${right}|orch <orch@localhost>|orch: merge right`);
    expect(await isAncestor(repo.root, base, commit)).toBe(true);
    expect(await isAncestor(repo.root, right, commit)).toBe(true);
    expect(await isAncestor(repo.root, commit, right)).toBe(false);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('reports conflicts when both sides edit the same line', async () => {
    const { repo, left, right } = await forked({ 'f.txt': '1\nleft\n3\n' }, { 'f.txt': '1\nright\n3\n' });
    const before = await snapshotTree(repo.root);
    const merged = await mergeTree(repo.root, left, right);
    expect(merged.clean).toBe(false);
    if (merged.clean) return;
    expect(merged.conflicts).toEqual([{ path: 'f.txt' }]);
    expect(merged.messages.some((m) => m.type.startsWith('CONFLICT') && m.paths.includes('f.txt'))).toBe(true);
    expect(await repo.git(['cat-file', '-p', `${merged.tree}:f.txt`])).toMatch(/<<<<<<< .*\nleft\n=======\nright\n>>>>>>> /);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });
});

describe('updateRef', () => {
  it('is a compare-and-swap: refuses when the ref moved, and changes nothing', async () => {
    const { repo, base, left, right } = await forked({ 'a.txt': 'a\n' }, { 'b.txt': 'b\n' });
    await repo.git(['branch', 'target', base]);
    const moved = updateRef(repo.root, 'refs/heads/target', right, left);
    await expect(moved).rejects.toBeInstanceOf(RepositoryError);
    await expect(moved).rejects.toThrow(/moved while orch was working/);
    expect(await repo.git(['rev-parse', 'target'])).toBe(base);

    await expect(updateRef(repo.root, 'refs/heads/target', right, null)).rejects.toThrow(/moved/);
    await updateRef(repo.root, 'refs/heads/fresh', right, null);
    expect(await repo.git(['rev-parse', 'fresh'])).toBe(right);
  });

  it('will not move a branch that a working tree has checked out', async () => {
    const { repo, base, left } = await forked({ 'a.txt': 'a\n' }, { 'b.txt': 'b\n' });
    const before = await snapshotTree(repo.root);
    const error = await updateRef(repo.root, 'refs/heads/main', left, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryError);
    expect((error as RepositoryError).code).toBe('repository_state');
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('rejects malformed ref names', async () => {
    const { repo, base, left } = await forked({ 'a.txt': 'a\n' }, { 'b.txt': 'b\n' });
    for (const ref of ['main', '--stdin', 'refs/heads/a..b', 'refs/heads/x y']) {
      await expect(updateRef(repo.root, ref, left, base), ref).rejects.toThrow();
    }
  });
});
