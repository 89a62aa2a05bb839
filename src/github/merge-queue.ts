// GitHub's merge queue: where the target's rules require one, a pull request is enqueued (GraphQL
// `enqueuePullRequest`; the REST merge answers 405) and GitHub merges it after the queue's own checks. orch waits
// until it is merged, or removed from the queue, and then says why.
import { setTimeout as sleep } from 'node:timers/promises';
import { httpStatus, type GitHub } from './client.ts';

export interface QueueWait {
  timeoutMs: number;
  pollMs: number;
  onWait?: (message: string) => void;
  signal?: AbortSignal;
}

export interface QueueOutcome {
  merged: boolean;
  reason: string;
}

/** Whether the branch's active rules (rulesets) require a merge queue. A GitHub without the rules API has none. */
export async function requiresMergeQueue(github: GitHub, branch: string): Promise<boolean> {
  try {
    const { data } = await github.api.rest.repos.getBranchRules({ ...github.slug, branch, per_page: 100 });
    return data.some((rule) => rule.type === 'merge_queue');
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}

/** The REST merge's refusal when only the queue may merge (GitHub: "Changes must be made through the merge queue"). */
export const isMergeQueueRefusal = (error: unknown): boolean => httpStatus(error) === 405 && /merge queue/i.test((error as Error).message);

const enqueueMutation = `mutation orchEnqueue($pullRequestId: ID!) {
  enqueuePullRequest(input: { pullRequestId: $pullRequestId }) { mergeQueueEntry { id position state } }
}`;

const stateQuery = `query orchQueueState($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      state
      merged
      mergeQueueEntry { state position }
      timelineItems(last: 1, itemTypes: [REMOVED_FROM_MERGE_QUEUE_EVENT]) { nodes { ... on RemovedFromMergeQueueEvent { reason createdAt } } }
    }
  }
}`;

interface QueueState {
  repository: {
    pullRequest: {
      state: string;
      merged: boolean;
      mergeQueueEntry: { state: string; position: number } | null;
      timelineItems: { nodes: { reason?: string | null; createdAt?: string }[] };
    } | null;
  };
}

/** Put the pull request in the queue and wait until GitHub merges it or takes it out. */
export async function mergeThroughQueue(github: GitHub, pull: { number: number; nodeId: string }, wait: QueueWait): Promise<QueueOutcome> {
  const enqueued = await github.api.graphql<{ enqueuePullRequest: { mergeQueueEntry: { position: number } | null } }>(enqueueMutation, { pullRequestId: pull.nodeId });
  const position = enqueued.enqueuePullRequest.mergeQueueEntry?.position;
  wait.onWait?.(`pull request #${pull.number}: in the merge queue${position === undefined ? '' : ` at position ${position}`}; waiting for GitHub to merge it`);
  const deadline = Date.now() + wait.timeoutMs;
  let last = '';
  for (;;) {
    const { repository } = await github.api.graphql<QueueState>(stateQuery, { owner: github.slug.owner, name: github.slug.repo, number: pull.number });
    const state = repository.pullRequest;
    if (state === null) return { merged: false, reason: `pull request #${pull.number} is gone` };
    if (state.merged) return { merged: true, reason: 'Merged by the merge queue once its checks passed' };
    if (state.state !== 'OPEN') return { merged: false, reason: 'the pull request was closed while in the merge queue' };
    if (state.mergeQueueEntry === null) {
      const why = state.timelineItems.nodes.at(-1)?.reason;
      return { merged: false, reason: `removed from the merge queue${why ? `: ${why}` : ''}` };
    }
    const now = `${state.mergeQueueEntry.state.toLowerCase().replaceAll('_', ' ')} at position ${state.mergeQueueEntry.position}`;
    if (now !== last) wait.onWait?.(`pull request #${pull.number}: merge queue ${now}`);
    last = now;
    if (Date.now() >= deadline) return { merged: false, reason: `still in the merge queue when orch stopped waiting (${now}); GitHub will merge it when its checks pass` };
    await sleep(wait.pollMs, undefined, wait.signal === undefined ? {} : { signal: wait.signal });
  }
}
