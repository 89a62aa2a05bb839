import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GitError } from '../domain/errors.ts';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { git, gitEnv } from './exec.ts';

const temp = useTempRepos();

describe('git', () => {
  it('ignores GIT_DIR / GIT_WORK_TREE / GIT_INDEX_FILE, inherited or passed', async () => {
    const repo = await temp.repo();
    const other = await temp.repo();
    const env = { GIT_DIR: `${other.root}/.git`, GIT_WORK_TREE: other.root, GIT_INDEX_FILE: '/nonexistent/index' };
    expect((await git(['rev-parse', '--show-toplevel'], { cwd: repo.root, env })).stdout).toBe(repo.root);
    Object.assign(process.env, env);
    try {
      expect((await git(['rev-parse', '--show-toplevel'], { cwd: repo.root })).stdout).toBe(repo.root);
      expect((await git(['status', '--porcelain'], { cwd: repo.root })).exitCode).toBe(0);
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
    }
  });

  it('forces non-interactive, untranslated git', () => {
    const env = gitEnv({ GIT_DIR: '/x', GIT_CONFIG_KEY_0: 'core.pager', GIT_CONFIG_VALUE_0: 'evil' });
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    expect(env.LC_ALL).toBe('C');
    expect(env.GIT_DIR).toBeUndefined();
    // A caller's config cannot ride in; orch's own (no hooks, no fsmonitor) takes its place.
    expect(env.GIT_CONFIG_KEY_0).toBe('core.hooksPath');
    expect(env.GIT_CONFIG_VALUE_0).toBe('/dev/null');
    expect(env.GIT_CONFIG_KEY_1).toBe('core.fsmonitor');
  });

  it('never runs a hook or an fsmonitor planted in the repository (attempt worktrees share .git)', async () => {
    const repo = await temp.repo();
    const marker = `${repo.dir}/planted-ran`;
    await writeFile(`${repo.root}/.git/hooks/post-merge`, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await repo.git(['config', 'core.fsmonitor', `touch ${marker}; false`]);
    await git(['status', '--porcelain'], { cwd: repo.root });
    const head = await repo.git(['rev-parse', 'HEAD']);
    await repo.git(['switch', '--quiet', '-c', 'side']);
    const ahead = await repo.commit('ahead');
    await repo.git(['switch', '--quiet', 'main']);
    await git(['merge', '--ff-only', ahead], { cwd: repo.root });
    expect(await repo.git(['rev-parse', 'HEAD'])).not.toBe(head);
    expect(existsSync(marker)).toBe(false);
  });

  it('throws GitError with argv and stderr, or returns the exit code when allowed', async () => {
    const repo = await temp.repo();
    const error = await git(['rev-parse', '--verify', 'nope'], { cwd: repo.root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).argv).toEqual(['git', 'rev-parse', '--verify', 'nope']);
    expect((error as GitError).stderr).toContain('Needed a single revision');
    const result = await git(['rev-parse', '--verify', 'nope'], { cwd: repo.root, allowFailure: true });
    expect(result.exitCode).toBe(128);
  });

  it('keeps the head of stdout and stops git at maxStdoutChars', async () => {
    const repo = await temp.repo();
    const result = await git(['cat-file', '-p', 'HEAD'], { cwd: repo.root, maxStdoutChars: 10 });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe('tree ' + (await repo.git(['rev-parse', 'HEAD^{tree}'])).slice(0, 5));
    const full = await git(['rev-parse', 'HEAD'], { cwd: repo.root, maxStdoutChars: 40 });
    expect(full.truncated).toBe(false);
    expect(full.stdout).toHaveLength(40);
  });

  it('says when the working directory is missing', async () => {
    const dir = await temp.dir();
    await expect(git(['status'], { cwd: `${dir}/missing` })).rejects.toThrow(/does not exist/);
  });
});
