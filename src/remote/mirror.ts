// A repository given by URL lives on this machine as a bare mirror under `$ORCH_HOME/mirrors/<name>-<hash>/`:
// `repo.git` (fetched before every run) and `checkout`, a detached worktree orch owns, which the engine opens like
// any repository (it reads the project's config there and writes its audit trail there). Attempt worktrees are
// added to the same mirror. The user's own clones are never involved.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RepositoryError } from '../domain/errors.ts';
import { git, noHooks, openRepository, type Repository } from '../git/index.ts';
import { withWorktreeLock } from '../git/worktree-lock.ts';
import { mirrorDir, redactUrl, redactUrlsIn } from './url.ts';

/** The git config key that marks a mirror and names the URL it follows. */
const urlKey = 'orch.remoteUrl';

export interface Mirror {
  url: string;
  /** The bare repository. */
  bare: string;
  /** orch's own detached worktree of it: what the engine opens. */
  repo: Repository;
  /** The remote's default branch (its HEAD). */
  defaultBranch: string;
}

/**
 * Make or update the mirror of `url` and detach its checkout at `ref` (default: the remote's default branch).
 * Branches are fetched as they are on the remote, except orch's own (`orch/…`), which stay as this machine has them.
 */
export function syncMirror(home: string, url: string, options: { ref?: string | undefined; signal?: AbortSignal } = {}): Promise<Mirror> {
  const dir = mirrorDir(home, url);
  return withMirror(join(dir, 'repo.git'), () => syncNow(dir, url, options));
}

const busy = new Map<string, Promise<unknown>>();

/**
 * One fetch (or worktree change next to a fetch) at a time per mirror in this process: git's connectivity check of a
 * fetch reads every worktree's HEAD, and concurrent fetches fight over ref locks.
 */
export function withMirror<T>(bare: string, work: () => Promise<T>): Promise<T> {
  const previous = busy.get(bare) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  busy.set(bare, next);
  void next
    .finally(() => {
      if (busy.get(bare) === next) busy.delete(bare);
    })
    .catch(() => undefined);
  return next;
}

async function syncNow(dir: string, url: string, options: { ref?: string | undefined; signal?: AbortSignal }): Promise<Mirror> {
  const bare = join(dir, 'repo.git');
  if (!existsSync(join(bare, 'HEAD'))) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await git(['init', '--quiet', '--bare', bare], { cwd: dir });
    await git(['remote', 'add', 'origin', '--end-of-options', url], { cwd: bare });
    await git(['config', urlKey, url], { cwd: bare });
  }
  await fetchBranches(bare, url, options.signal);
  const defaultBranch = await remoteDefaultBranch(bare, url, options.signal);
  await git(['symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`], { cwd: bare });
  const ref = options.ref ?? defaultBranch;
  const sha = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: bare, allowFailure: true });
  if (sha.exitCode !== 0) {
    throw new RepositoryError('repository_state', `The repository at ${redactUrl(url)} has no branch or commit '${ref}'.`, {
      hint: 'Name a branch the remote has (--target / --base), or push it first.',
    });
  }
  const checkout = join(dir, 'checkout');
  await withWorktreeLock(bare, async () => {
    if (existsSync(checkout)) await git([...noHooks, 'checkout', '--quiet', '--force', '--detach', sha.stdout], { cwd: checkout });
    else {
      await git(['worktree', 'prune'], { cwd: bare });
      await git([...noHooks, 'worktree', 'add', '--quiet', '--detach', '--end-of-options', checkout, sha.stdout], { cwd: bare });
    }
  });
  return { url, bare, repo: await openRepository(checkout), defaultBranch };
}

/** The URL a repository mirrors, or null when it is an ordinary repository (the user's own checkout). */
export async function mirrorUrl(repo: Repository): Promise<string | null> {
  const found = await git(['config', '--get', urlKey], { cwd: repo.commonDir, allowFailure: true });
  return found.exitCode === 0 && found.stdout !== '' ? found.stdout : null;
}

/** Fetch the remote's branches (orch's own excepted) over the mirror's. */
async function fetchBranches(bare: string, url: string, signal: AbortSignal | undefined): Promise<void> {
  await remoteGit(bare, ['fetch', '--quiet', '--prune', '--no-tags', 'origin', '+refs/heads/*:refs/heads/*', '^refs/heads/orch/*'], url, signal);
}

/** Fetch orch's own branches of the remote (attempt branches pushed by workers) under refs/remotes/origin/. */
export async function fetchOrchBranches(repo: Repository, signal?: AbortSignal): Promise<void> {
  const url = await mirrorUrl(repo);
  if (url === null) throw new RepositoryError('repository_state', `'${repo.root}' is not a mirror of a remote repository.`);
  await remoteGit(repo.commonDir, ['fetch', '--quiet', '--no-tags', 'origin', '+refs/heads/orch/*:refs/remotes/origin/orch/*'], url, signal);
}

async function remoteDefaultBranch(bare: string, url: string, signal: AbortSignal | undefined): Promise<string> {
  const out = await remoteGit(bare, ['ls-remote', '--symref', 'origin', 'HEAD'], url, signal);
  const named = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
  if (named?.[1] !== undefined) return named[1];
  const branches = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/'], { cwd: bare });
  const first = branches.stdout.split('\n').find((name) => name !== '' && !name.startsWith('orch/'));
  if (first === undefined) {
    throw new RepositoryError('repository_state', `The repository at ${redactUrl(url)} has no branches yet.`, { hint: 'Push a first commit to it, then run orch again.' });
  }
  return first;
}

/**
 * A git command that talks to the remote: credentials from git's own helpers and the SSH agent (never a prompt:
 * GIT_TERMINAL_PROMPT=0), and any URL in its failure redacted.
 */
export async function remoteGit(cwd: string, args: string[], url: string, signal?: AbortSignal): Promise<string> {
  const result = await git(args, { cwd, allowFailure: true, ...(signal === undefined ? {} : { signal }) });
  if (result.exitCode === 0) return result.stdout;
  const said = redactUrlsIn(result.stderr.trim()).split('\n').slice(-4).join('\n');
  throw new RepositoryError('repository_state', `git ${args[0] ?? ''} with ${redactUrl(url)} failed: ${said}`, {
    hint: 'Check the URL and that git can reach it on its own (git ls-remote URL): credentials come from your credential helper or SSH agent.',
  });
}
