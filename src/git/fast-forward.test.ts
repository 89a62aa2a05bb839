import { describe, expect, it } from 'vitest';
import { snapshotTree, useTempRepos } from '../../test/helpers/git-fixture.ts';
import { fastForwardCheckedOutBranch } from './fast-forward.ts';

const temp = useTempRepos();

/** main checked out at `base`; `ahead` is a commit on top of it made elsewhere (as orch's merge would). */
async function setup() {
  const repo = await temp.repo({ files: { 'f.txt': 'base\n', 'g.txt': 'g\n' } });
  const base = await repo.git(['rev-parse', 'HEAD']);
  await repo.git(['checkout', '--quiet', '-b', 'work']);
  const ahead = await repo.commit('ahead', { 'f.txt': 'ahead\n', 'new.txt': 'new\n' });
  await repo.git(['checkout', '--quiet', 'main']);
  return { repo, base, ahead };
}

describe('fastForwardCheckedOutBranch', () => {
  it('moves a clean checkout forward, files included, keeping untracked files', async () => {
    const { repo, base, ahead } = await setup();
    await repo.write('untracked.txt', 'mine\n');
    const result = await fastForwardCheckedOutBranch(repo.root, ahead, { expectedBranch: 'main' });
    expect(result).toMatchObject({ status: 'moved', moved: true, from: base });
    expect(await repo.git(['rev-parse', 'main'])).toBe(ahead);
    expect(await repo.read('f.txt')).toBe('ahead\n');
    expect(await repo.read('untracked.txt')).toBe('mine\n');
    expect(await repo.git(['status', '--porcelain'])).toBe('?? untracked.txt');
    expect((await fastForwardCheckedOutBranch(repo.root, ahead)).status).toBe('up_to_date');
  });

  it('leaves a dirty checkout exactly as it was', async () => {
    const { repo, base, ahead } = await setup();
    await repo.write('g.txt', 'user edit\n');
    const before = await snapshotTree(repo.root);
    const result = await fastForwardCheckedOutBranch(repo.root, ahead);
    expect(result).toMatchObject({ status: 'dirty', moved: false, from: base });
    expect(result.message).toMatch(/uncommitted changes/);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('lets git refuse when an untracked file would be overwritten', async () => {
    const { repo, ahead } = await setup();
    await repo.write('new.txt', 'precious\n');
    const before = await snapshotTree(repo.root);
    const result = await fastForwardCheckedOutBranch(repo.root, ahead);
    expect(result.status).toBe('refused');
    expect(result.message).toMatch(/untracked working tree files would be overwritten/);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('does not move diverged, detached or unexpected branches', async () => {
    const { repo, ahead } = await setup();
    await repo.commit('diverge', { 'g.txt': 'diverged\n' });
    const before = await snapshotTree(repo.root);
    expect((await fastForwardCheckedOutBranch(repo.root, ahead)).status).toBe('not_fast_forward');
    expect((await fastForwardCheckedOutBranch(repo.root, ahead, { expectedBranch: 'release' })).status).toBe('wrong_branch');
    expect(await snapshotTree(repo.root)).toEqual(before);
    await repo.git(['checkout', '--quiet', '--detach']);
    expect((await fastForwardCheckedOutBranch(repo.root, ahead)).status).toBe('wrong_branch');
  });
});
