// Files between two commits, read at a commit, or put back in a worktree: what held-out checks and the
// detection of a project's own checks need. argv only, like every git call.
import { git, noHooks } from './exec.ts';
import { rawDiff } from './raw-diff.ts';
import { assertSha } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface PathChange {
  path: string;
  kind: ChangeKind;
}

const kinds: Record<string, ChangeKind> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/**
 * Every path that differs between two commits; renames count as a deletion and an addition (both matter). Read
 * from the same `git diff --raw` the symlink scan reads (one git process for both).
 */
export async function changedPaths(repo: RepoRef, fromSha: string, toSha: string): Promise<PathChange[]> {
  return (await rawDiff(repo, fromSha, toSha)).map((entry) => ({ path: entry.path, kind: kinds[entry.status.charAt(0)] ?? 'modified' }));
}

/** A file's text at a commit, or null when it is not there (or is not a file). */
export async function readFileAt(repo: RepoRef, sha: string, path: string, maxChars = 1_000_000): Promise<string | null> {
  const out = await git(['cat-file', '-p', `${sha}:${path}`], { cwd: cwdOf(repo), allowFailure: true, maxStdoutChars: maxChars });
  return out.exitCode === 0 ? out.stdout : null;
}

/**
 * Reads files of one commit where most asked-for files are usually absent (the detection of a project's checks asks
 * for a dozen names): one `git ls-tree` of the top level answers "not there" for all of them, and only a file that
 * is there costs a git process. A path in a subdirectory is read directly.
 */
export function commitReader(repo: RepoRef, sha: string): (path: string) => Promise<string | null> {
  let topLevel: Promise<Set<string>> | undefined;
  const listTop = async () => {
    const out = await git(['ls-tree', '-z', '--end-of-options', assertSha(sha)], { cwd: cwdOf(repo) });
    // `<mode> <type> <object>\t<name>`: only files (blobs) can be read as text.
    const blobs = out.stdout.split('\0').filter((entry) => / blob [0-9a-f]+\t/.test(entry));
    return new Set(blobs.map((entry) => entry.slice(entry.indexOf('\t') + 1)));
  };
  return async (path) => {
    if (path.includes('/')) return readFileAt(repo, sha, path);
    topLevel ??= listTop();
    return (await topLevel).has(path) ? readFileAt(repo, sha, path) : null;
  };
}

/** Put the given paths back as they are in `sha`, in the worktree and its index. */
export async function restorePaths(worktree: string, sha: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await git([...noHooks, 'checkout', sha, '--', ...paths], { cwd: worktree });
}

/** Tracked files back to HEAD, in the index and the worktree (untracked files, such as build output, stay). */
export async function resetToHead(worktree: string): Promise<void> {
  await git([...noHooks, 'reset', '--quiet', '--hard', 'HEAD'], { cwd: worktree });
}
