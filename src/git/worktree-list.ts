// Reading `git worktree list --porcelain -z`: which trees exist and what each has checked out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './exec.ts';
import { cwdOf, type RepoRef, type Repository } from './repo.ts';
import { validateBranchName } from './refname.ts';

export interface WorktreeInfo {
  path: string;
  /** null for a bare entry or a worktree on an unborn branch. */
  head: string | null;
  /** Short branch name, or null when detached. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  /** Its directory is gone; `git worktree prune` would drop it. */
  prunable: boolean;
}

/** Every worktree of the repository, the main one first. */
export async function listWorktrees(repo: RepoRef): Promise<WorktreeInfo[]> {
  const result = await git(['worktree', 'list', '--porcelain', '-z'], { cwd: cwdOf(repo) });
  return parseWorktreeList(result.stdout);
}

export function parseWorktreeList(output: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const field of output.split('\0')) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { path: value, head: null, branch: null, bare: false, detached: false, locked: false, prunable: false };
      worktrees.push(current);
    } else if (current !== undefined) {
      if (key === 'HEAD') current.head = /^0+$/.test(value) ? null : value;
      else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
      else if (key === 'bare') current.bare = true;
      else if (key === 'detached') current.detached = true;
      else if (key === 'locked') current.locked = true;
      else if (key === 'prunable') current.prunable = true;
    }
  }
  return worktrees;
}

/** The worktree where `branch` is checked out, or null. Moving that branch's ref would desync its tree. */
export async function worktreeWithBranchCheckedOut(repo: RepoRef, branch: string): Promise<string | null> {
  await validateBranchName(cwdOf(repo), branch);
  // Usually no tree has it: git's own HEAD files say so without a git process. Only when one does is git asked where.
  if (typeof repo !== 'string' && !headFilesName(repo, branch)) return null;
  const found = (await listWorktrees(repo)).find((worktree) => worktree.branch === branch);
  return found?.path ?? null;
}

/**
 * Whether any worktree's HEAD file names `branch`: the main tree's `<common>/HEAD` and each linked tree's
 * `<common>/worktrees/<id>/HEAD`, which is where git itself keeps them. Unreadable means "maybe": ask git.
 */
function headFilesName(repo: Repository, branch: string): boolean {
  const wanted = `ref: refs/heads/${branch}`;
  const heads = [join(repo.commonDir, 'HEAD')];
  try {
    for (const id of readdirSync(join(repo.commonDir, 'worktrees'))) heads.push(join(repo.commonDir, 'worktrees', id, 'HEAD'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return true;
  }
  return heads.some((head) => {
    try {
      return readFileSync(head, 'utf8').trim() === wanted;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  });
}
