// A real merge inside one of orch's own integration worktrees (never the user's): start it, list what
// conflicts, commit it once resolved. The refinery uses this when merge-tree alone is not enough: to let an
// agent resolve conflicts and to run the checks on the merged tree before the target moves.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { headSha } from './commit.ts';
import { failure, git, noHooks } from './exec.ts';
import { identityEnv } from './identity.ts';
import { assertSha } from './refname.ts';

export type MergeStart = { clean: true } | { clean: false; conflicts: string[] };

/** `git merge --no-commit` of `theirsSha` into the worktree's HEAD. */
export async function startMerge(worktree: string, theirsSha: string): Promise<MergeStart> {
  assertSha(theirsSha);
  const result = await git([...noHooks, 'merge', '--no-ff', '--no-commit', '--no-edit', '--no-gpg-sign', theirsSha], {
    cwd: worktree,
    env: identityEnv(),
    allowFailure: true,
  });
  const conflicts = await unmergedFiles(worktree);
  if (result.exitCode === 0 && conflicts.length === 0) return { clean: true };
  if (conflicts.length === 0) throw failure(result);
  return { clean: false, conflicts };
}

/** Files git still records as unmerged. */
export async function unmergedFiles(worktree: string): Promise<string[]> {
  const result = await git(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: worktree });
  return result.stdout.split('\0').filter(Boolean);
}

const markers = /^(<{7}|={7}|>{7})( |$)/m;

/** Of these files, the ones that still hold conflict markers. */
export async function filesWithConflictMarkers(worktree: string, files: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const file of files) {
    const text = await readFile(join(worktree, file), 'utf8').catch(() => '');
    if (markers.test(text)) left.push(file);
  }
  return left;
}

/** The conflicting files with their markers, for a resolver's prompt; bounded in size. */
export async function conflictExcerpt(worktree: string, files: readonly string[], maxChars = 40_000): Promise<string> {
  let text = '';
  for (const file of files) {
    const content = await readFile(join(worktree, file), 'utf8').catch(() => '(unreadable)');
    text += `### ${file}\n\n${content}\n\n`;
    if (text.length > maxChars) return `${text.slice(0, maxChars)}\n… (cut; read the files for the rest)`;
  }
  return text;
}

/** Stage everything and commit the merge in progress. */
export async function commitMerge(worktree: string, message: string): Promise<string> {
  await git(['add', '--all'], { cwd: worktree });
  await git([...noHooks, 'commit', '--quiet', '--no-verify', '--no-gpg-sign', '--allow-empty', '--cleanup=whitespace', '--file=-'], {
    cwd: worktree,
    env: identityEnv(),
    input: message,
  });
  return headSha(worktree);
}
