// Temporary git repositories for tests: real git, isolated from the developer's own git config.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { git } from '../../src/git/exec.ts';

// Tests must not depend on (or be broken by) ~/.gitconfig: no user.name, no signing, no hooksPath, no templates.
// This also proves that orch commits without any identity configured.
process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';

const fixtureIdentity = ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgSign=false'];

export interface TempRepo {
  /** A fresh temp directory holding the repository (`<dir>/repo`) and room for worktrees and other repos. */
  dir: string;
  root: string;
  /** Run git in the repository with the fixture identity; returns stdout, throws on failure. */
  git: (args: readonly string[], cwd?: string) => Promise<string>;
  write: (path: string, content: string) => Promise<void>;
  read: (path: string) => Promise<string>;
  /** Write the files (if any), `git add -A`, commit; returns the new sha. */
  commit: (message: string, files?: Record<string, string>) => Promise<string>;
  cleanup: () => Promise<void>;
}

export async function makeTempDir(prefix = 'orch-test-'): Promise<string> {
  return mkdtemp(join(await realpath(tmpdir()), prefix));
}

/** A repository on branch `main`, with one commit of `files` unless `empty`. */
export async function createTempRepo(options: { files?: Record<string, string>; empty?: boolean } = {}): Promise<TempRepo> {
  const dir = await makeTempDir('orch-git-');
  const root = join(dir, 'repo');
  await mkdir(root);
  const run = async (args: readonly string[], cwd = root) => (await git([...fixtureIdentity, ...args], { cwd })).stdout;
  const write = async (path: string, content: string) => {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  const repo: TempRepo = {
    dir,
    root,
    git: run,
    write,
    read: (path) => readFile(join(root, path), 'utf8'),
    commit: async (message, files = {}) => {
      for (const [path, content] of Object.entries(files)) await write(path, content);
      await run(['add', '--all']);
      await run(['commit', '--quiet', '--allow-empty', '-m', message]);
      return run(['rev-parse', 'HEAD']);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await run(['init', '--quiet', '--initial-branch=main']);
  if (options.empty !== true) await repo.commit('initial', options.files ?? { 'README.md': 'hello\n' });
  return repo;
}

/** Temp repos and dirs for the tests of one file, removed after each test. Call at the top level of a test file. */
export function useTempRepos(): {
  repo: (options?: Parameters<typeof createTempRepo>[0]) => Promise<TempRepo>;
  dir: () => Promise<string>;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });
  return {
    async repo(options) {
      const repo = await createTempRepo(options);
      cleanups.push(repo.cleanup);
      return repo;
    },
    async dir() {
      const dir = await makeTempDir();
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}

export interface TreeSnapshot {
  /** Raw `git status --porcelain=v1 -z --untracked-files=all`. */
  status: string;
  /** The HEAD file (which branch) and the commit it resolves to. */
  head: string;
  headSha: string;
  /** sha256 of .git/index: any write to the user's index changes it. */
  index: string;
  /** Every file outside .git, path -> sha256 of its bytes (a symlink: where it points). */
  files: Record<string, string>;
}

/** Everything about a checkout that orch promises not to touch, for before/after equality. */
export async function snapshotTree(root: string): Promise<TreeSnapshot> {
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === '.git' && dir === root) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) files[relative(root, path)] = `symlink to ${await readlink(path)}`;
      else files[relative(root, path)] = sha256(await readFile(path));
    }
  };
  await walk(root);
  const status = (await git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: root })).stdout;
  const head = await readFile(join(root, '.git', 'HEAD'), 'utf8');
  const headSha = (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout;
  const index = sha256(await readFile(join(root, '.git', 'index')));
  return { status, head, headSha, index, files };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
