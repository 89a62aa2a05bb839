// orch run --repo-url: a repository by URL (a bare remote over file://), a mirror under ORCH_HOME, and the result
// delivered by pushing — a fast-forward of the target with its old value checked, or orch's own result branch.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../src/git/exec.ts';
import { snapshotTree, useTempRepos } from '../helpers/git-fixture.ts';
import { fakeAgentConfig, runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();

interface Delivered {
  run: { id: string; status: string };
  delivery: { status: string; branch?: string; message: string };
}

async function remoteOf(root: string, dir: string): Promise<{ path: string; url: string }> {
  const path = join(dir, 'remote.git');
  await git(['clone', '--quiet', '--bare', root, path], { cwd: dir });
  return { path, url: `file://${path}` };
}

const show = async (bare: string, spec: string) => (await git(['show', spec], { cwd: bare, allowFailure: true })).stdout;
const sha = async (bare: string, ref: string) => (await git(['rev-parse', ref], { cwd: bare })).stdout;

describe('orch run --repo-url', () => {
  it('fetches the remote into a mirror, works there, and fast-forwards the remote target; the user checkout is untouched', async () => {
    const user = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': fakeAgentConfig({ files: { 'feature.txt': 'done\n' } }) } });
    const remote = await remoteOf(user.root, user.dir);
    const before = await snapshotTree(user.root);
    const oldMain = await sha(remote.path, 'main');
    const home = await temp.dir();
    const cwd = await temp.dir();

    const result = await runOrch(['run', 'add a feature', '--repo-url', remote.url, '--json'], { cwd, home });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Delivered;
    expect(report.run.status).toBe('succeeded');
    expect(report.delivery.status).toBe('pushed');
    expect(await show(remote.path, 'main:feature.txt')).toBe('done');
    // A fast-forward: the old target is an ancestor of the new one.
    expect((await git(['merge-base', '--is-ancestor', oldMain, 'main'], { cwd: remote.path, allowFailure: true })).exitCode).toBe(0);
    expect(result.stderr).toContain(`pushed main`);
    expect(await snapshotTree(user.root)).toEqual(before);
    expect(existsSync(join(home, 'mirrors'))).toBe(true);
  });

  it('leaves a target that moved on the remote alone and puts the result on orch/<run>/result', async () => {
    const home = await temp.dir();
    const started = join(home, 'started');
    const go = join(home, 'go');
    const user = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ files: { 'feature.txt': 'done\n' }, startedFile: started, waitForFile: go }) } });
    const remote = await remoteOf(user.root, user.dir);
    const cwd = await temp.dir();

    const running = runOrch(['run', 'add a feature', '--repo-url', remote.url, '--json'], { cwd, home });
    await waitFor(() => existsSync(started), { timeoutMs: 60_000, what: 'the agent to start' });
    // Someone else pushes to main while the agent works.
    const theirs = await user.commit('their change', { 'theirs.txt': 'theirs\n' });
    await user.git(['push', '--quiet', remote.path, 'main']);
    await writeFile(go, '');
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Delivered;
    expect(report.delivery.status).toBe('result-branch');
    expect(report.delivery.branch).toBe(`orch/${report.run.id}/result`);
    expect(report.delivery.message).toContain('left alone');
    // Their work stays where they pushed it; the result waits on orch's branch.
    expect(await sha(remote.path, 'main')).toBe(theirs);
    expect(await show(remote.path, `orch/${report.run.id}/result:feature.txt`)).toBe('done');
  });

  it('refuses a URL with a password in it, without printing the password or fetching anything', async () => {
    const home = await temp.dir();
    const cwd = await temp.dir();
    const result = await runOrch(['run', 'anything', '--repo-url', 'https://me:s3cret-token@example.invalid/x.git'], { cwd, home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('password or token');
    expect(result.stderr).toContain('https://me:***@example.invalid/x.git');
    expect(result.stderr + result.stdout).not.toContain('s3cret-token');
    expect(existsSync(join(home, 'mirrors'))).toBe(false);
  });

  it('says clearly when the URL cannot be reached, with nothing run', async () => {
    const home = await temp.dir();
    const cwd = await temp.dir();
    const result = await runOrch(['run', 'anything', '--repo-url', `file://${cwd}/nothing-here.git`], { cwd, home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('failed');
    expect(result.stderr).toContain('nothing-here.git');
  });
});
