// merge_via github: the pull request is merged through the API once its checks pass, under the repository's own
// rules (branch protection answers 405 when they are not met). orch never pushes to the target itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { httpStatus, type GitHub } from './client.ts';
import { gitHubError } from './issues.ts';

export interface MergeWaitOptions {
  requiredChecks: readonly string[];
  timeoutMs: number;
  pollMs: number;
  onWait?: (message: string) => void;
  signal?: AbortSignal;
}

export interface PullRequestMerge {
  merged: boolean;
  /** Why it merged, or why not. */
  reason: string;
}

type ChecksState = { state: 'passed' } | { state: 'waiting' | 'failing'; detail: string };

async function checksOf(github: GitHub, sha: string, required: readonly string[]): Promise<ChecksState> {
  const { data } = await github.api.rest.checks.listForRef({ ...github.slug, ref: sha, per_page: 100 });
  const runs = data.check_runs;
  const failing = runs.filter((r) => r.status === 'completed' && !['success', 'neutral', 'skipped'].includes(r.conclusion ?? ''));
  if (failing.length > 0) return { state: 'failing', detail: failing.map((r) => `${r.name} ${r.conclusion ?? ''}`).join(', ') };
  const pending = runs.filter((r) => r.status !== 'completed').map((r) => r.name);
  const missing = required.filter((name) => !runs.some((r) => r.name === name));
  if (pending.length > 0 || missing.length > 0) return { state: 'waiting', detail: [...pending, ...missing.map((m) => `${m} (not reported yet)`)].join(', ') };
  return { state: 'passed' };
}

/**
 * Wait for the pull request's checks (a failing check may be re-run, so failing is waited on too, up to the
 * timeout), refuse on a review requesting changes, then merge through the API.
 */
export async function mergeWhenGreen(github: GitHub, number: number, options: MergeWaitOptions): Promise<PullRequestMerge> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  try {
    for (;;) {
      const { data: pull } = await github.api.rest.pulls.get({ ...github.slug, pull_number: number });
      if (pull.merged) return { merged: true, reason: 'already merged' };
      if (pull.state !== 'open') return { merged: false, reason: 'the pull request was closed' };
      if (pull.draft === true) return { merged: false, reason: 'the pull request is a draft' };
      const reviews = (await github.api.rest.pulls.listReviews({ ...github.slug, pull_number: number })).data;
      const latestByReviewer = new Map(reviews.filter((r) => r.state !== 'COMMENTED').map((r) => [r.user?.login ?? '', r.state]));
      if ([...latestByReviewer.values()].includes('CHANGES_REQUESTED')) return { merged: false, reason: 'a review requests changes' };
      const checks = await checksOf(github, pull.head.sha, options.requiredChecks);
      if (checks.state === 'passed') break;
      const now = `checks ${checks.state}: ${checks.detail}`;
      if (now !== last) options.onWait?.(`pull request #${number}: ${now}; waiting`);
      last = now;
      if (Date.now() >= deadline) return { merged: false, reason: `the checks did not pass in time (${now})` };
      await sleep(options.pollMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
    const merged = await github.api.rest.pulls.merge({ ...github.slug, pull_number: number });
    return { merged: merged.data.merged, reason: merged.data.message };
  } catch (error) {
    const status = httpStatus(error);
    // 405: the repository's rules refuse the merge now (protection, required reviews); a person decides.
    if (status === 405 || status === 409) return { merged: false, reason: `GitHub refused the merge (${status}): ${(error as Error).message}` };
    throw gitHubError(error, github, `merging pull request #${number}`);
  }
}
