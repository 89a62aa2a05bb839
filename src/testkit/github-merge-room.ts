// The scripted GitHub's merge side: whether a pull request can merge (its head against its base on the remote, as
// GitHub computes `mergeable`), the merge itself landing on the remote, the branch rules that require a merge
// queue, and the merge queue behind the GraphQL `enqueuePullRequest` mutation. The queue merges its head entry once
// the required checks of its merge group (`gh-readonly-queue/<base>/pr-<n>`) pass, and removes it when one fails.
import { execFileSync, spawnSync } from 'node:child_process';
import type { ScriptedCheckRun, ScriptedPull } from './github-records.ts';

export interface MergeQueueEntry {
  pull: number;
  state: 'AWAITING_CHECKS' | 'MERGEABLE';
  enqueuedAt: number;
}

export interface MergeRoomContext {
  remote: string | undefined;
  /** The merges land on the remote's base branch (a merge commit), as GitHub's do. */
  landMerges: boolean;
  pulls: ReadonlyMap<number, ScriptedPull>;
  checkRunsOf(ref: string): ScriptedCheckRun[] | undefined;
  /** Mark a pull request merged (and close the issues it fixes). */
  markMerged(pull: ScriptedPull, method: string, sha: string | null): void;
}

export class GraphQLError extends Error {}

const identity = { GIT_AUTHOR_NAME: 'GitHub', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };

export function createMergeRoom(ctx: MergeRoomContext) {
  const queues = new Map<string, { requiredChecks: string[]; entries: MergeQueueEntry[] }>();
  /** Why each pull request last left a merge queue without merging. */
  const removals = new Map<number, { reason: string; at: number }>();

  const gitRemote = (args: string[]) => spawnSync('git', ['--git-dir', ctx.remote ?? '', ...args], { encoding: 'utf8', env: { ...process.env, ...identity } });
  const baseSha = (base: string): string | null => {
    const out = gitRemote(['rev-parse', '--verify', '--quiet', `refs/heads/${base}`]);
    return out.status === 0 ? out.stdout.trim() : null;
  };

  /** GitHub's `mergeable`: false when the head conflicts with the base as it is now (only known with a remote). */
  function mergeable(pull: ScriptedPull): boolean {
    if (ctx.remote === undefined || pull.headSha === null) return true;
    const base = baseSha(pull.base);
    if (base === null) return true;
    return gitRemote(['merge-tree', '--write-tree', base, pull.headSha]).status === 0;
  }

  function mergeableState(pull: ScriptedPull): string {
    if (pull.state !== 'open') return 'unknown';
    if (pull.draft) return 'draft';
    return mergeable(pull) ? 'clean' : 'dirty';
  }

  /** The merge: with landMerges, a merge commit on the remote's base (its first parent the base as it was). */
  function merge(pull: ScriptedPull, method: string): string | null {
    let sha = pull.headSha;
    const base = baseSha(pull.base);
    if (ctx.landMerges && ctx.remote !== undefined && pull.headSha !== null && base !== null) {
      const tree = execFileSync('git', ['--git-dir', ctx.remote, 'merge-tree', '--write-tree', base, pull.headSha], { encoding: 'utf8' }).trim().split('\n')[0] ?? '';
      sha = execFileSync('git', ['--git-dir', ctx.remote, 'commit-tree', tree, '-p', base, '-p', pull.headSha, '-m', `Merge pull request #${pull.number} from ${pull.head}`], {
        encoding: 'utf8',
        env: { ...process.env, ...identity },
      }).trim();
      execFileSync('git', ['--git-dir', ctx.remote, 'update-ref', `refs/heads/${pull.base}`, sha, base]);
    }
    ctx.markMerged(pull, method, sha);
    return sha;
  }

  const groupRef = (entry: MergeQueueEntry, base: string) => `gh-readonly-queue/${base}/pr-${entry.pull}`;

  /** The queues move on: the head entry of each merges once its group's required checks pass, or leaves on a failure. */
  function advance(): void {
    for (const [base, queue] of queues) {
      const entry = queue.entries[0];
      if (entry === undefined) continue;
      const pull = ctx.pulls.get(entry.pull);
      if (pull === undefined || pull.state !== 'open') {
        queue.entries.shift();
        continue;
      }
      const runs = ctx.checkRunsOf(groupRef(entry, base)) ?? [];
      const failed = runs.find((r) => queue.requiredChecks.includes(r.name) && r.status === 'completed' && r.conclusion !== 'success');
      if (failed !== undefined) {
        remove(entry.pull, `the merge group's required check ${failed.name} ended ${failed.conclusion ?? 'unknown'}`);
        continue;
      }
      if (!mergeable(pull)) {
        remove(entry.pull, `the pull request conflicts with ${base}`);
        continue;
      }
      const passed = queue.requiredChecks.every((name) => runs.some((r) => r.name === name && r.status === 'completed' && r.conclusion === 'success'));
      if (!passed) continue;
      queue.entries.shift();
      merge(pull, 'merge');
    }
  }

  function remove(number: number, reason: string): void {
    for (const queue of queues.values()) queue.entries = queue.entries.filter((e) => e.pull !== number);
    removals.set(number, { reason, at: Date.now() });
  }

  const entryOf = (number: number): { entry: MergeQueueEntry; position: number; base: string } | null => {
    for (const [base, queue] of queues) {
      const position = queue.entries.findIndex((e) => e.pull === number);
      const entry = queue.entries[position];
      if (entry !== undefined) return { entry, position: position + 1, base };
    }
    return null;
  };

  /** GitHub's GraphQL API, as far as orch asks it: enqueuePullRequest, and a pull request's merge queue state. */
  function graphql(body: unknown): unknown {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (typeof query !== 'string') throw new GraphQLError('A query attribute must be specified and must be a string.');
    const vars = variables ?? {};
    if (/\benqueuePullRequest\s*\(/.test(query)) {
      const given = vars.pullRequestId ?? /pullRequestId:\s*"([^"]+)"/.exec(query)?.[1];
      const id = typeof given === 'string' ? given : '';
      const pull = [...ctx.pulls.values()].find((p) => nodeId(p.number) === id);
      if (pull === undefined) throw new GraphQLError(`Could not resolve to a node with the global id of '${id}'`);
      const queue = queues.get(pull.base);
      if (queue === undefined) throw new GraphQLError(`Pull request is not in a merge queue-enabled branch: ${pull.base} does not require a merge queue`);
      if (pull.state !== 'open' || pull.draft) throw new GraphQLError('Pull request is not in a mergeable state');
      if (entryOf(pull.number) === null) queue.entries.push({ pull: pull.number, state: 'AWAITING_CHECKS', enqueuedAt: Date.now() });
      removals.delete(pull.number);
      const found = entryOf(pull.number);
      return { enqueuePullRequest: { mergeQueueEntry: { id: `MQE_${pull.number}`, position: found?.position ?? 1, state: found?.entry.state ?? 'AWAITING_CHECKS' } } };
    }
    if (/\bmergeQueueEntry\b/.test(query) && /\bpullRequest\s*\(/.test(query)) {
      const pull = ctx.pulls.get(Number(vars.number));
      if (pull === undefined) throw new GraphQLError(`Could not resolve to a PullRequest with the number of ${String(vars.number)}.`);
      const found = entryOf(pull.number);
      const removal = removals.get(pull.number);
      return {
        repository: {
          pullRequest: {
            state: pull.merged ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED',
            merged: pull.merged,
            mergeQueueEntry: found === null ? null : { state: found.entry.state, position: found.position },
            timelineItems: { nodes: removal === undefined ? [] : [{ __typename: 'RemovedFromMergeQueueEvent', reason: removal.reason, createdAt: new Date(removal.at).toISOString() }] },
          },
        },
      };
    }
    throw new GraphQLError('The scripted GitHub answers only enqueuePullRequest and a pull request’s merge queue state.');
  }

  return {
    mergeable,
    mergeableState,
    merge,
    advance,
    graphql,
    remove,
    requiresQueue: (base: string) => queues.has(base),
    /** GET /repos/{o}/{r}/rules/branches/{branch}: the active rules, a merge_queue rule where one is required. */
    rules: (branch: string) =>
      queues.has(branch)
        ? [{ type: 'merge_queue', ruleset_source_type: 'Repository', ruleset_id: 1, parameters: { merge_method: 'MERGE', grouping_strategy: 'ALLGREEN', check_response_timeout_minutes: 60 } }]
        : [],
    requireMergeQueue(base: string, requiredChecks: string[]): void {
      queues.set(base, { requiredChecks: [...requiredChecks], entries: queues.get(base)?.entries ?? [] });
    },
    queueOf: (base: string): readonly MergeQueueEntry[] => queues.get(base)?.entries ?? [],
    groupRef: (number: number): string | null => {
      const found = entryOf(number);
      return found === null ? null : groupRef(found.entry, found.base);
    },
  };
}

/** A pull request's GraphQL node id. */
export const nodeId = (number: number): string => `PR_kwScripted${number}`;

export type MergeRoom = ReturnType<typeof createMergeRoom>;
