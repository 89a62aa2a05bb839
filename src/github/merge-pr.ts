// merge_via github: the pull request is merged through the API once its checks pass, under the repository's own
// rules (branch protection answers 405 when they are not met). orch never pushes to the target itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { httpStatus, type GitHub } from './client.ts';
import { conflictsWithBase, updateConflictingBranch, type ConflictPolicy } from './branch-update.ts';
import type { PullFeedback, FeedbackAnswer } from './feedback-round.ts';
import { gitHubError } from './issues.ts';
import { isMergeQueueRefusal, mergeThroughQueue, requiresMergeQueue } from './merge-queue.ts';

export interface MergeWaitOptions extends ConflictPolicy {
  requiredChecks: readonly string[];
  timeoutMs: number;
  pollMs: number;
  onWait?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * A review requesting changes, or a failing check, each answered once (feedback-round.ts): 'retry' waits again
   * (on the pushed change), anything else stops the wait with its reason. Without it either stops the wait.
   */
  onFeedback?: (feedback: PullFeedback) => Promise<FeedbackAnswer>;
}

export interface PullRequestMerge {
  merged: boolean;
  /** Why it merged, or why not. */
  reason: string;
  /** How it merged or was to merge: the REST merge, or the repository's merge queue. */
  via?: 'api' | 'merge_queue';
  /** Times orch updated the branch over a conflict with the moved target. */
  branchUpdates?: number;
}

type CheckFailure = Extract<PullFeedback, { kind: 'checks' }>['failures'][number];
type ChecksState = { state: 'passed' } | { state: 'waiting'; detail: string } | { state: 'failing'; detail: string; failures: CheckFailure[] };

async function checksOf(github: GitHub, sha: string, required: readonly string[]): Promise<ChecksState> {
  const { data } = await github.api.rest.checks.listForRef({ ...github.slug, ref: sha, per_page: 100 });
  const runs = data.check_runs;
  const failing = runs.filter((r) => r.status === 'completed' && !['success', 'neutral', 'skipped'].includes(r.conclusion ?? ''));
  if (failing.length > 0) {
    const failures = failing.map((r) => ({ name: r.name, conclusion: r.conclusion ?? '', title: r.output.title ?? '', summary: r.output.summary ?? '', text: r.output.text ?? '' }));
    return { state: 'failing', detail: failing.map((r) => `${r.name} ${r.conclusion ?? ''}`).join(', '), failures };
  }
  const pending = runs.filter((r) => r.status !== 'completed').map((r) => r.name);
  const missing = required.filter((name) => !runs.some((r) => r.name === name));
  if (pending.length > 0 || missing.length > 0) return { state: 'waiting', detail: [...pending, ...missing.map((m) => `${m} (not reported yet)`)].join(', ') };
  return { state: 'passed' };
}

/**
 * Wait for the pull request's checks (a failing check may be re-run, so failing is waited on too, up to the
 * timeout), refuse on a review requesting changes (or, with onFeedback, answer it and a failing required check
 * with a feedback round), then merge through the API.
 */
export async function mergeWhenGreen(github: GitHub, number: number, options: MergeWaitOptions): Promise<PullRequestMerge> {
  let deadline = Date.now() + options.timeoutMs;
  let last = '';
  let updates = 0;
  // What the merge needs of the pull request as last read (its GraphQL id for the queue, its base's rules).
  const seen = { nodeId: '', base: '' };
  // Each review requesting changes, and each head's failing checks, is fed back once; then the wait goes on.
  const answered = new Set<string>();
  const feedBack = async (key: string, feedback: PullFeedback): Promise<PullRequestMerge | null> => {
    answered.add(key);
    const answer = await options.onFeedback!(feedback);
    if (answer.retry) {
      deadline = Date.now() + options.timeoutMs; // the pushed change gets its own wait
      last = '';
      return null;
    }
    return { merged: false, reason: answer.reason };
  };
  try {
    for (;;) {
      const { data: pull } = await github.api.rest.pulls.get({ ...github.slug, pull_number: number });
      seen.nodeId = pull.node_id;
      seen.base = pull.base.ref;
      if (pull.merged) return { merged: true, reason: 'already merged' };
      if (pull.state !== 'open') return { merged: false, reason: 'the pull request was closed' };
      if (pull.draft === true) return { merged: false, reason: 'the pull request is a draft' };
      if (conflictsWithBase(pull)) {
        const stop = await updateConflictingBranch({ number, head: pull.head.ref, headSha: pull.head.sha, base: pull.base.ref }, options, updates);
        if (stop !== null) return { merged: false, reason: stop, branchUpdates: updates };
        updates += 1;
        // GitHub recomputes mergeability after a push: look again after a poll, not at once.
        await sleep(options.pollMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
        continue;
      }
      const reviews = (await github.api.rest.pulls.listReviews({ ...github.slug, pull_number: number })).data;
      const latestByReviewer = new Map(reviews.filter((r) => r.state !== 'COMMENTED').map((r) => [r.user?.login ?? '', r]));
      const requesting = [...latestByReviewer.values()].filter((r) => r.state === 'CHANGES_REQUESTED');
      if (requesting.length > 0 && options.onFeedback === undefined) return { merged: false, reason: 'a review requests changes' };
      const fresh = requesting.find((r) => !answered.has(`review:${r.id}`));
      if (fresh !== undefined) {
        const stop = await feedBack(`review:${fresh.id}`, { kind: 'review', pull: number, reviewId: fresh.id, user: fresh.user?.login ?? '', body: fresh.body });
        if (stop !== null) return stop;
        continue;
      }
      const checks = await checksOf(github, pull.head.sha, options.requiredChecks);
      // A failing required check (every check, when none is named) is fed back; others are waited on (re-runs).
      const failed = checks.state === 'failing' ? checks.failures.filter((f) => options.requiredChecks.length === 0 || options.requiredChecks.includes(f.name)) : [];
      if (failed.length > 0 && options.onFeedback !== undefined && !answered.has(`checks:${pull.head.sha}`)) {
        const stop = await feedBack(`checks:${pull.head.sha}`, { kind: 'checks', pull: number, sha: pull.head.sha, failures: failed });
        if (stop !== null) return stop;
        continue;
      }
      if (checks.state === 'passed' && requesting.length === 0) break;
      const now = checks.state === 'passed' ? 'changes were pushed for the review requesting them; waiting for the reviewer to look again' : `checks ${checks.state}: ${checks.detail}`;
      if (now !== last) options.onWait?.(`pull request #${number}: ${now}; waiting`);
      last = now;
      if (Date.now() >= deadline) return { merged: false, reason: checks.state === 'passed' ? `the reviewer did not approve in time (${now})` : `the checks did not pass in time (${now})` };
      await sleep(options.pollMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
    if (await requiresMergeQueue(github, seen.base)) return await queued(github, { number, nodeId: seen.nodeId }, options, updates);
    // A 405 or 409 is the rules' answer, not a passing fault: not retried.
    const merged = await github.api.rest.pulls.merge({ ...github.slug, pull_number: number, request: { retries: 0 } });
    return { merged: merged.data.merged, reason: merged.data.message, via: 'api', ...(updates > 0 ? { branchUpdates: updates } : {}) };
  } catch (error) {
    // The rules said nothing of a queue (an older GitHub, no rights to read them) but the merge needs one.
    if (isMergeQueueRefusal(error) && seen.nodeId !== '') return await queued(github, { number, nodeId: seen.nodeId }, options, updates);
    const status = httpStatus(error);
    // 405: the repository's rules refuse the merge now (protection, required reviews); a person decides.
    if (status === 405 || status === 409) return { merged: false, reason: `GitHub refused the merge (${status}): ${(error as Error).message}` };
    throw gitHubError(error, github, `merging pull request #${number}`);
  }
}

/** The queue runs checks of its own on the merge group: its wait gets the whole checks timeout again. */
async function queued(github: GitHub, pull: { number: number; nodeId: string }, options: MergeWaitOptions, updates: number): Promise<PullRequestMerge> {
  try {
    const outcome = await mergeThroughQueue(github, pull, options);
    return { ...outcome, via: 'merge_queue', ...(updates > 0 ? { branchUpdates: updates } : {}) };
  } catch (error) {
    // GraphQL refuses with `errors` in a 200 (not in a queue-enabled branch, not mergeable): GitHub's answer, reported.
    if ((error as Error).name === 'GraphqlResponseError') return { merged: false, via: 'merge_queue', reason: `GitHub refused to enqueue it: ${(error as Error).message}`, ...(updates > 0 ? { branchUpdates: updates } : {}) };
    throw gitHubError(error, github, `enqueuing pull request #${pull.number} in the merge queue`);
  }
}
