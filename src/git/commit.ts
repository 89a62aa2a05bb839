// Committing what an agent left behind in its worktree, under orch's identity.
import { failure, git, noHooks } from './exec.ts';
import { headFromFiles } from './head-file.ts';
import { identityEnv, type GitIdentity } from './identity.ts';

/**
 * Stage everything (`git add -A`, .gitignore respected) but the paths in `leaveOut` (untracked setup files such as
 * `.env`: never staged, even when the agent staged them itself) and commit it. Returns the new sha, or null when
 * nothing changed. Runs without hooks: this is orch's bookkeeping in its own worktree, and the user's
 * hooks may be slow, interactive or rewrite files; the project's checks run explicitly in the judge instead.
 * Not signed, for the same reason (a signing prompt would hang an unattended run).
 */
export async function commitAll(worktree: string, message: string, identity?: GitIdentity, leaveOut: readonly string[] = []): Promise<string | null> {
  await git(['add', '--all'], { cwd: worktree });
  // Unstaged after the fact (an exclude pathspec naming an ignored path makes `git add` fail).
  if (leaveOut.length > 0) await git(['reset', '--quiet', '--', ...leaveOut.map((path) => `:(literal)${path}`)], { cwd: worktree });
  // No separate "is anything staged?" question: commit answers it (exit 1, "nothing to commit" under LC_ALL=C).
  const committed = await git([...noHooks, 'commit', '--quiet', '--no-verify', '--no-gpg-sign', '--cleanup=whitespace', '--file=-'], {
    cwd: worktree,
    env: identityEnv(identity),
    input: message,
    allowFailure: true,
  });
  if (committed.exitCode === 1 && /^nothing (added )?to commit/m.test(committed.stdout)) return null;
  if (committed.exitCode !== 0) throw failure(committed);
  return headSha(worktree);
}

/** The commit checked out at `cwd` (a worktree's top): from git's files when they are plain, else from git. */
export async function headSha(cwd: string): Promise<string> {
  const fromFiles = headFromFiles(cwd);
  if (fromFiles !== undefined) return fromFiles;
  const result = await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd });
  return result.stdout;
}
