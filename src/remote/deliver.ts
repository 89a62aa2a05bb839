// Delivering a run's result to the repository it came from. The mirror's target moved by orch's own merge; the
// remote's target moves only by a fast-forward pushed with its old value checked (`--force-with-lease=<ref>:<old>`),
// so work pushed meanwhile by anyone is never overwritten. When that cannot be done, the result goes to orch's own
// `orch/<run>/result` branch on the remote, and the caller says so.
import { git, isAncestor, type Repository } from '../git/index.ts';
import { mirrorUrl, remoteGit } from './mirror.ts';
import { redactUrl } from './url.ts';

export type Delivery =
  /** The remote's target was fast-forwarded to the merged result. */
  | { status: 'pushed'; url: string; target: string; from: string; to: string; message: string }
  /** The result is on `branch` on the remote; the target there was left alone. */
  | { status: 'result-branch'; url: string; target: string; branch: string; sha: string; message: string }
  /** Nothing to deliver: the run merged nothing and left no result branch. */
  | { status: 'nothing'; url: string; target: string; message: string };

export const resultBranch = (runId: string): string => `orch/${runId}/result`;

/** Push what the run left in the mirror (its merged target, or its result branch). Null for a repository that is no mirror. */
export async function deliverRun(repo: Repository, run: { id: string; target: string; merged: boolean }, signal?: AbortSignal): Promise<Delivery | null> {
  const url = await mirrorUrl(repo);
  if (url === null) return null;
  const shown = redactUrl(url);
  const bare = repo.commonDir;
  const local = await revParse(bare, `refs/heads/${run.target}`);
  const remoteLine = await remoteGit(bare, ['ls-remote', 'origin', `refs/heads/${run.target}`], url, signal);
  const remote = remoteLine.split('\t')[0] ?? '';
  const result = await revParse(bare, `refs/heads/${resultBranch(run.id)}`);

  if (run.merged && local !== null && remote !== '' && local !== remote && (await has(bare, remote)) && (await isAncestor(bare, remote, local))) {
    const lease = `--force-with-lease=refs/heads/${run.target}:${remote}`;
    const pushed = await git(['push', '--quiet', '--porcelain', lease, 'origin', `${local}:refs/heads/${run.target}`], { cwd: bare, allowFailure: true, ...(signal ? { signal } : {}) });
    if (pushed.exitCode === 0) {
      return { status: 'pushed', url: shown, target: run.target, from: remote, to: local, message: `pushed ${run.target} ${remote.slice(0, 8)}..${local.slice(0, 8)} to ${shown}` };
    }
    return toResultBranch(bare, url, run, local, `${run.target} moved on ${shown} while the run worked, so it was left alone`, signal);
  }
  if (run.merged && local !== null && local !== remote) {
    return toResultBranch(bare, url, run, local, `${run.target} on ${shown} is not an ancestor of the result (it moved, or it is gone), so it was left alone`, signal);
  }
  if (result !== null) return toResultBranch(bare, url, run, result, 'the result was not merged', signal);
  return { status: 'nothing', url: shown, target: run.target, message: `nothing to push to ${shown}` };
}

async function toResultBranch(bare: string, url: string, run: { id: string; target: string }, sha: string, why: string, signal?: AbortSignal): Promise<Delivery> {
  const branch = resultBranch(run.id);
  // orch's own branch: replacing it is fine (a resumed run pushes its newer result).
  await remoteGit(bare, ['push', '--quiet', 'origin', `+${sha}:refs/heads/${branch}`], url, signal);
  const shown = redactUrl(url);
  return { status: 'result-branch', url: shown, target: run.target, branch, sha, message: `${why}; the result is on ${branch} at ${shown}` };
}

async function revParse(cwd: string, ref: string): Promise<string | null> {
  const found = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd, allowFailure: true });
  return found.exitCode === 0 ? found.stdout : null;
}

async function has(cwd: string, sha: string): Promise<boolean> {
  return (await git(['cat-file', '-e', `${sha}^{commit}`], { cwd, allowFailure: true })).exitCode === 0;
}
