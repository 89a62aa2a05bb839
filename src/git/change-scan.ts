// Two things in a change that must never land unreviewed: a symbolic link pointing out of the tree (a later
// attempt, or the user, writes through it into /etc, ~/.ssh or the user's checkout) and a secret value orch knows.
import { posix } from 'node:path';
import { git } from './exec.ts';
import { rawDiff } from './raw-diff.ts';
import { assertSha } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export interface OutsideSymlink {
  path: string;
  target: string;
}

/** Whether a symlink at `path` (relative to the tree's root) with this target resolves outside the tree. */
export function symlinkLeavesTree(path: string, target: string): boolean {
  if (target === '' || posix.isAbsolute(target) || target.startsWith('~')) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  return resolved === '..' || resolved.startsWith('../');
}

/** The symlinks added or changed between two commits whose target leaves the tree. */
export async function outsideSymlinks(repo: RepoRef, fromSha: string, toSha: string): Promise<OutsideSymlink[]> {
  const found: OutsideSymlink[] = [];
  for (const { newMode, newSha, status, path } of await rawDiff(repo, fromSha, toSha)) {
    if (newMode !== '120000' || status === 'D') continue;
    const target = (await git(['cat-file', 'blob', assertSha(newSha)], { cwd: cwdOf(repo) })).stdout;
    if (symlinkLeavesTree(path, target)) found.push({ path, target });
  }
  return found;
}

/**
 * The files of `toSha` that hold more lines with a secret than at `fromSha` (binary files included): the change put
 * a secret there. The values go to git on stdin, never on its command line (which any local user can read).
 */
export async function filesWithSecrets(repo: RepoRef, fromSha: string, toSha: string, secrets: readonly string[]): Promise<string[]> {
  const patterns = [...new Set(secrets.filter((secret) => secret !== '' && !/[\r\n]/.test(secret)))];
  if (patterns.length === 0) return [];
  const count = async (sha: string): Promise<Map<string, number>> => {
    const result = await git(['grep', '--count', '--fixed-strings', '-z', '--no-color', '--no-textconv', '-f', '-', assertSha(sha), '--'], {
      cwd: cwdOf(repo),
      input: `${patterns.join('\n')}\n`,
      allowFailure: true,
    });
    // (No --end-of-options: git grep 2.39 reads it as a revision; the sha is checked.) Exit 1 is "no match"; anything else is a failure orch must not read as "clean".
    if (result.exitCode > 1) throw new Error(`git grep failed while looking for secrets: ${result.stderr}`);
    return parseGrepCounts(result.stdout, `${sha}:`);
  };
  const [before, after] = await Promise.all([count(fromSha), count(toSha)]);
  return [...after].filter(([path, lines]) => lines > (before.get(path) ?? 0)).map(([path]) => path);
}

/** `git grep --count -z` prints `<prefix><path>\0<count>\n` per file; a path may hold newlines, never a NUL. */
export function parseGrepCounts(output: string, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  let at = 0;
  while (at < output.length) {
    const nul = output.indexOf('\0', at);
    if (nul < 0) break;
    const end = output.indexOf('\n', nul);
    const name = output.slice(at, nul);
    counts.set(name.startsWith(prefix) ? name.slice(prefix.length) : name, Number(output.slice(nul + 1, end < 0 ? undefined : end)));
    at = end < 0 ? output.length : end + 1;
  }
  return counts;
}
