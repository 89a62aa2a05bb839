import { describe, expect, it } from 'vitest';
import { addWorktree, commitAll, openRepository } from '../git/index.ts';
import { snapshotTree, useTempRepos, type TempRepo } from '../../test/helpers/git-fixture.ts';
import { mergeAttempt } from './merge-attempt.ts';

const temp = useTempRepos();

/** An attempt branch off main's first commit that writes `files`; returns its head. */
async function attemptWith(repo: TempRepo, files: Record<string, string>, name = 'a'): Promise<string> {
  const base = await repo.git(['rev-parse', 'main']);
  const path = `${repo.dir}/wt-${name}`;
  await addWorktree(await openRepository(repo.root), { path, branch: `orch/run/main/${name}`, startSha: base });
  for (const [file, content] of Object.entries(files)) await repo.write(`../wt-${name}/${file}`, content);
  const sha = await commitAll(path, `attempt ${name}`);
  if (sha === null) throw new Error('nothing committed');
  return sha;
}

const request = (headSha: string) => ({ runId: 'run_x', attemptId: 'att_x', target: 'main', headSha, message: 'orch: merge', resultBranch: 'orch/run_x/result' });

describe('mergeAttempt', () => {
  it('merges with a real merge commit when the target moved since the attempt started, without touching the user tree', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n' } });
    const head = await attemptWith(repo, { 'a.txt': 'A from the attempt\n' });
    await repo.commit('someone else', { 'b.txt': 'B from main\n' });
    await repo.git(['switch', '--quiet', '-c', 'elsewhere']);
    const before = await snapshotTree(repo.root);

    const outcome = await mergeAttempt(await openRepository(repo.root), request(head));
    expect(outcome.status).toBe('merged');
    expect(await repo.git(['show', 'main:a.txt'])).toBe('A from the attempt');
    expect(await repo.git(['show', 'main:b.txt'])).toBe('B from main');
    expect(await repo.git(['rev-list', '--parents', '-n', '1', 'main'])).toContain(head);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('reports a conflict and moves nothing', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const head = await attemptWith(repo, { 'a.txt': 'attempt\n' });
    const main = await repo.commit('main edits the same line', { 'a.txt': 'main\n' });
    await repo.git(['switch', '--quiet', '-c', 'elsewhere']);
    const outcome = await mergeAttempt(await openRepository(repo.root), request(head));
    expect(outcome).toMatchObject({ status: 'conflict', toSha: null });
    expect(outcome.message).toContain('a.txt');
    expect(await repo.git(['rev-parse', 'main'])).toBe(main);
  });

  it('leaves the result on a branch, with the command to take it, when the checked-out target has local changes', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const head = await attemptWith(repo, { 'new.txt': 'new\n' });
    const mainBefore = await repo.git(['rev-parse', 'main']);
    await repo.write('a.txt', 'local edit\n');
    const before = await snapshotTree(repo.root);

    const outcome = await mergeAttempt(await openRepository(repo.root), request(head));
    expect(outcome.status).toBe('left_on_branch');
    expect(outcome.message).toContain('git merge --ff-only orch/run_x/result');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(await repo.git(['rev-parse', 'orch/run_x/result'])).toBe(head);
    expect(await snapshotTree(repo.root)).toEqual(before);
  });

  it('can be asked twice (a merge step repeated after a crash): the second time finds the work there', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const head = await attemptWith(repo, { 'a.txt': 'attempt\n' });
    await repo.commit('main moves on', { 'b.txt': 'b\n' });
    await repo.git(['switch', '--quiet', '-c', 'elsewhere']);
    const opened = await openRepository(repo.root);
    const first = await mergeAttempt(opened, request(head));
    const second = await mergeAttempt(opened, request(head));
    expect(first.status).toBe('merged');
    expect(second).toMatchObject({ status: 'merged', toSha: first.toSha });
    expect(await repo.git(['rev-parse', 'main'])).toBe(first.toSha);
  });

  it('leaves the result on its branch again when asked twice with the target checked out and dirty', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const head = await attemptWith(repo, { 'new.txt': 'new\n' });
    await repo.write('a.txt', 'local edit\n');
    const opened = await openRepository(repo.root);
    expect((await mergeAttempt(opened, request(head))).status).toBe('left_on_branch');
    expect((await mergeAttempt(opened, request(head))).status).toBe('left_on_branch');
  });
});
