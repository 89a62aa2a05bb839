// orch's own branches: generated names under `orch/`, and their deletion. No other branch is ever created or deleted.
import { createHash } from 'node:crypto';
import { UsageError } from '../domain/errors.ts';
import { git } from './exec.ts';
import { branchExists, cwdOf, type RepoRef } from './repo.ts';
import { assertSha, validateBranchName } from './refname.ts';

export const orchBranchPrefix = 'orch/';
const maxSegment = 48;

export interface AttemptBranchInput {
  runId: string;
  taskKey: string;
  /** The attempt's number within its task (best-of-n index, or a retry counter). */
  n: number;
}

/** `orch/<run>/<task>/<n>`, each segment reduced to [a-z0-9._-] and valid under git's ref rules. */
export function attemptBranchName({ runId, taskKey, n }: AttemptBranchInput): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`attemptBranchName: n must be a non-negative integer, got ${n}`);
  return `${orchBranchPrefix}${branchSegment(runId)}/${branchSegment(taskKey)}/${n}`;
}

/**
 * One ref segment from arbitrary text. Text that had to change gets a short hash of the original appended,
 * so two different inputs never map to the same name ('a b' and 'a-b' stay apart).
 */
export function branchSegment(text: string): string {
  const trim = (s: string) => s.replace(/^[.-]+|[.-]+$/g, '');
  let clean = trim(
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/-{2,}/g, '-'),
  );
  clean = trim(clean.slice(0, maxSegment)).replace(/\.lock$/, '-lock');
  if (clean === text && clean !== '') return clean;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return clean === '' ? hash : `${clean}-${hash}`;
}

export function isOrchBranch(branch: string): boolean {
  return branch.startsWith(orchBranchPrefix) && branch.length > orchBranchPrefix.length;
}

/** Delete one of orch's branches (even if unmerged). Returns false when it did not exist. Refuses any other branch. */
export async function deleteBranch(repo: RepoRef, branch: string): Promise<boolean> {
  if (!isOrchBranch(branch)) {
    throw new UsageError(`Refusing to delete '${branch}': orch deletes only the branches it created (orch/...).`, {
      data: { branch },
    });
  }
  const cwd = cwdOf(repo);
  await validateBranchName(cwd, branch);
  if (!(await branchExists(cwd, branch))) return false;
  await git(['branch', '--delete', '--force', '--end-of-options', branch], { cwd });
  return true;
}

/** Create one of orch's branches at a commit (a team branch); an existing one is left as it is. */
export async function addBranch(repo: RepoRef, branch: string, sha: string): Promise<void> {
  if (!isOrchBranch(branch)) {
    throw new UsageError(`Refusing to create '${branch}': orch creates only orch/ branches.`, { data: { branch } });
  }
  const cwd = cwdOf(repo);
  await validateBranchName(cwd, branch);
  assertSha(sha);
  if (await branchExists(cwd, branch)) return;
  await git(['branch', '--end-of-options', branch, sha], { cwd });
}
