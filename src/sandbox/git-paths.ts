// The parts of a repository's .git that one linked worktree needs, read from git's own files (no git call):
// `<wt>/.git` names the admin dir, whose `commondir` names the shared .git and whose HEAD names the branch.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface WorktreeGitPaths {
  /** The repository's shared .git (config, hooks, objects, refs). */
  commonDir: string;
  /** `.git/worktrees/<id>`: this worktree's HEAD, index and logs. Absent for a main checkout. */
  adminDir: string | undefined;
  /** The branch checked out here (`refs/heads/...`), when HEAD is a symbolic ref. */
  branchRef: string | undefined;
  /** The commit checked out here, when HEAD is detached. */
  detachedSha: string | undefined;
}

const sha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const detached = (head: string | undefined): string | undefined => (head !== undefined && sha.test(head) ? head : undefined);

export function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function worktreeGitPaths(worktree: string): WorktreeGitPaths | undefined {
  const dotGit = join(worktree, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) {
    const head = readTrimmed(join(dotGit, 'HEAD'));
    return { commonDir: dotGit, adminDir: undefined, branchRef: head?.startsWith('ref: ') ? head.slice(5) : undefined, detachedSha: detached(head) };
  }
  const pointer = readTrimmed(dotGit);
  if (pointer === undefined || !pointer.startsWith('gitdir: ')) return undefined;
  const gitdir = pointer.slice('gitdir: '.length);
  const adminDir = isAbsolute(gitdir) ? gitdir : resolve(worktree, gitdir);
  const common = readTrimmed(join(adminDir, 'commondir'));
  const commonDir = common === undefined ? dirname(dirname(adminDir)) : resolve(adminDir, common);
  const head = readTrimmed(join(adminDir, 'HEAD'));
  return { commonDir, adminDir, branchRef: head?.startsWith('ref: refs/heads/') ? head.slice(5) : undefined, detachedSha: detached(head) };
}
