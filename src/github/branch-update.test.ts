// A pull request that conflicts with its moved base, against the scripted GitHub reading a real bare remote:
// GitHub says dirty and refuses the merge; orch hands the branch to the updater, and gives up after N updates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedGitHubServer, type ScriptedGitHubServer } from '../testkit/index.ts';
import type { BranchToUpdate } from './branch-update.ts';
import { openGitHub, type GitHub } from './client.ts';
import { mergeWhenGreen } from './merge-pr.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const identity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** A bare remote with main, and a branch that changes the line main changed too. */
function conflictingRemote(): { remote: string; commit(branch: string, parents: string[], content: string): string } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-branch-update-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const remote = join(dir, 'remote.git');
  const run = (args: string[], input?: string) => execFileSync('git', ['--git-dir', remote, ...args], { encoding: 'utf8', env: { ...process.env, ...identity }, ...(input === undefined ? {} : { input }) }).trim();
  run(['init', '--quiet', '--bare', '--initial-branch=main']);
  return {
    remote,
    commit(branch, parents, content) {
      const blob = run(['hash-object', '-w', '--stdin'], content);
      const tree = run(['mktree'], `100644 blob ${blob}\tfile.txt\n`);
      const sha = run(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', branch]);
      run(['update-ref', `refs/heads/${branch}`, sha]);
      return sha;
    },
  };
}

async function start(remote: string): Promise<{ server: ScriptedGitHubServer; github: GitHub }> {
  const server = await startScriptedGitHubServer({ remote, landMerges: true });
  cleanups.push(() => server.close());
  return { server, github: openGitHub({ baseUrl: server.url, token: 'test-github-token', slug: { owner: server.owner, repo: server.repo } }) };
}

const quick = { requiredChecks: [], timeoutMs: 20_000, pollMs: 50 };

describe('a pull request that conflicts with its moved base', () => {
  it('GitHub reports it dirty and refuses the REST merge; without an updater orch says to update the branch', async () => {
    const git = conflictingRemote();
    const base = git.commit('main', [], 'one\n');
    git.commit('orch/r/pr', [base], 'two\n');
    git.commit('main', [base], 'three\n');
    const { server, github } = await start(git.remote);
    const number = (await github.api.rest.pulls.create({ ...github.slug, head: 'orch/r/pr', base: 'main', title: 'x' })).data.number;
    const { data } = await github.api.rest.pulls.get({ ...github.slug, pull_number: number });
    expect(data).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    await expect(github.api.rest.pulls.merge({ ...github.slug, pull_number: number, request: { retries: 0 } })).rejects.toThrow('Pull Request is not mergeable');
    expect(await mergeWhenGreen(github, number, quick)).toEqual({ merged: false, reason: 'the pull request conflicts with main; update its branch, then merge it', branchUpdates: 0 });
    expect(server.pulls.get(number)?.merged).toBe(false);
  });

  it('merges once the updater resolved it, and gives up with the reason after maxBranchUpdates updates that did not', async () => {
    const git = conflictingRemote();
    const base = git.commit('main', [], 'one\n');
    const head = git.commit('orch/r/pr', [base], 'two\n');
    const moved = git.commit('main', [base], 'three\n');
    const { server, github } = await start(git.remote);
    const number = (await github.api.rest.pulls.create({ ...github.slug, head: 'orch/r/pr', base: 'main', title: 'x' })).data.number;
    const asked: BranchToUpdate[] = [];
    // An updater that does nothing useful: the conflict stays, orch stops after two tries.
    const stuck = await mergeWhenGreen(github, number, { ...quick, maxBranchUpdates: 2, updateBranch: (pull) => Promise.resolve((asked.push(pull), { updated: true, sha: pull.headSha, detail: 'no-op' })) });
    expect(stuck).toEqual({ merged: false, reason: 'the pull request still conflicts with main after 2 update(s) of its branch; orch gave up', branchUpdates: 2 });
    expect(asked.map((p) => [p.head, p.base, p.headSha])).toEqual([
      ['orch/r/pr', 'main', head],
      ['orch/r/pr', 'main', head],
    ]);
    // A real update: main merged into the branch, the conflict resolved; then the API merge lands it on main.
    const done = await mergeWhenGreen(github, number, { ...quick, updateBranch: () => Promise.resolve({ updated: true, sha: git.commit('orch/r/pr', [head, moved], 'two and three\n'), detail: 'resolved' }) });
    expect(done).toMatchObject({ merged: true, via: 'api', branchUpdates: 1 });
    const main = execFileSync('git', ['--git-dir', git.remote, 'rev-parse', 'refs/heads/main^1', 'refs/heads/main:file.txt'], { encoding: 'utf8' }).split('\n');
    expect(main[0]).toBe(moved);
    expect(server.pulls.get(number)).toMatchObject({ merged: true });
  });
});
