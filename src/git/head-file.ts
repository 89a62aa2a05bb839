// Reading a worktree's HEAD commit from git's own files (gitrepository-layout: `.git` file -> admin dir -> HEAD
// -> loose ref under the common dir), because a git process per read was a large part of an attempt's cost.
// Anything unusual (packed refs, a symref chain, the reftable backend, a damaged file) answers undefined, and the
// caller asks git.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const sha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The admin directory of the worktree at `worktree` (its `.git` dir, or where its `.git` file points). */
export function gitDirOf(worktree: string): string | undefined {
  const dotGit = join(worktree, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return undefined;
  }
  const pointer = /^gitdir: (.+)$/.exec(read(dotGit) ?? '')?.[1];
  return pointer === undefined ? undefined : resolve(worktree, pointer);
}

/** The commit checked out in `worktree`, read from files; undefined when git must be asked. */
export function headFromFiles(worktree: string): string | undefined {
  const gitDir = gitDirOf(worktree);
  if (gitDir === undefined) return undefined;
  const head = read(join(gitDir, 'HEAD'));
  if (head === undefined) return undefined;
  if (sha.test(head)) return head;
  const ref = /^ref: (refs\/heads\/[^\0]+)$/.exec(head)?.[1];
  if (ref === undefined || ref.split('/').includes('..')) return undefined;
  const common = read(join(gitDir, 'commondir'));
  const commonDir = common === undefined ? gitDir : resolve(gitDir, common);
  const value = read(join(commonDir, ref));
  return value !== undefined && sha.test(value) ? value : undefined;
}
