// Files between two commits, read at a commit, or put back in a worktree: what held-out checks and the
// detection of a project's own checks need. argv only, like every git call.
import { git, noHooks } from './exec.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface PathChange {
  path: string;
  kind: ChangeKind;
}

const kinds: Record<string, ChangeKind> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/** Every path that differs between two commits; renames count as a deletion and an addition (both matter). */
export async function changedPaths(repo: RepoRef, fromSha: string, toSha: string): Promise<PathChange[]> {
  const out = await git(['diff', '--name-status', '--no-renames', '-z', fromSha, toSha, '--'], { cwd: cwdOf(repo) });
  const parts = out.stdout.split('\0').filter((p) => p !== '');
  const changes: PathChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const kind = kinds[(parts[i] ?? '').charAt(0)] ?? 'modified';
    changes.push({ path: parts[i + 1] ?? '', kind });
  }
  return changes;
}

/** A file's text at a commit, or null when it is not there (or is not a file). */
export async function readFileAt(repo: RepoRef, sha: string, path: string, maxChars = 1_000_000): Promise<string | null> {
  const out = await git(['cat-file', '-p', `${sha}:${path}`], { cwd: cwdOf(repo), allowFailure: true, maxStdoutChars: maxChars });
  return out.exitCode === 0 ? out.stdout : null;
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
