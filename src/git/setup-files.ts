// A project's untracked setup files (`.env`, `.env.local`: config worktree.copy) in attempt worktrees: copied from
// the user's checkout before the agent starts, kept out of git by info/exclude and by the leftovers commit, so they
// are never committed or merged.
import { cpSync, existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { cwdOf, type RepoRef, type Repository } from './repo.ts';
import { git } from './exec.ts';
import { ensureExcluded } from './exclude.ts';
import { assertSha } from './refname.ts';

/** The gitignore line that matches exactly this path from the root (wildcards and leading `!`/`#` escaped). */
export function literalExcludePattern(path: string): string {
  const escaped = path.replace(/[\\*?[\]]/g, '\\$&').replace(/ $/, '\\ ');
  return `/${escaped}`;
}

/** Keep the setup files out of every worktree's `git add` (written when a run starts, before its attempts). */
export async function excludeSetupFiles(repo: Pick<Repository, 'commonDir'>, paths: readonly string[]): Promise<void> {
  for (const path of paths) await ensureExcluded(repo, literalExcludePattern(path));
}

/**
 * Copy each setup file (or folder) that exists in `sourceRoot` into `worktree`, unless the worktree has it already
 * (tracked, or copied before a resume). A symlink is copied as the file it points to. Returns the paths copied.
 */
export function copySetupFiles(sourceRoot: string, worktree: string, paths: readonly string[]): string[] {
  const copied: string[] = [];
  for (const path of paths) {
    const from = join(sourceRoot, path);
    const to = join(worktree, path);
    if (!existsSync(from) || lstatExists(to)) continue;
    cpSync(from, to, { recursive: true, dereference: true, errorOnExist: false, force: false });
    copied.push(path);
  }
  return copied;
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The setup paths git does not track at `sha`: those orch must never stage (a tracked one is the project's own). */
export async function untrackedSetupFiles(repo: RepoRef, sha: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const listed = await git(['ls-tree', '-r', '-z', '--name-only', assertSha(sha), '--', ...paths.map((path) => `:(literal)${path}`)], { cwd: cwdOf(repo) });
  const tracked = listed.stdout.split('\0').filter((name) => name !== '');
  return paths.filter((path) => !tracked.some((name) => name === path || name.startsWith(`${path}/`)));
}
