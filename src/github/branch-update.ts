// A pull request whose target moved and now conflicts with it (GitHub: mergeable false, mergeable_state 'dirty') is
// brought up to date by orch itself: the updater (the engine's: merge the target into the branch, conflicts to
// the resolver agent, the checks, a push of the branch only) runs, and the wait goes on. Bounded by `maxTries`.

export interface BranchToUpdate {
  number: number;
  /** The pull request's branch (never the target: only it is pushed). */
  head: string;
  headSha: string;
  base: string;
}

export type BranchUpdate = { updated: true; sha: string; detail: string } | { updated: false; reason: string };

export type BranchUpdater = (pull: BranchToUpdate) => Promise<BranchUpdate>;

export interface ConflictPolicy {
  updateBranch?: BranchUpdater | undefined;
  /** Updates of the branch before orch gives up (default 3). */
  maxBranchUpdates?: number | undefined;
  onWait?: (message: string) => void;
}

/** GitHub says the head conflicts with the base (null while it is still computing: not yet a conflict). */
export const conflictsWithBase = (pull: { mergeable?: boolean | null; mergeable_state?: string }): boolean => pull.mergeable === false || pull.mergeable_state === 'dirty';

/**
 * One round on a conflicting pull request: null when the branch was updated (wait again), else why orch stops.
 * `tries` counts the updates made so far.
 */
export async function updateConflictingBranch(pull: BranchToUpdate, policy: ConflictPolicy, tries: number): Promise<string | null> {
  if (policy.updateBranch === undefined) return `the pull request conflicts with ${pull.base}; update its branch, then merge it`;
  const max = policy.maxBranchUpdates ?? 3;
  if (tries >= max) return `the pull request still conflicts with ${pull.base} after ${max} update(s) of its branch; orch gave up`;
  policy.onWait?.(`pull request #${pull.number}: conflicts with ${pull.base}; merging ${pull.base} into ${pull.head} (update ${tries + 1} of ${max})`);
  const update = await policy.updateBranch(pull);
  if (!update.updated) return `the pull request conflicts with ${pull.base} and orch could not update its branch: ${update.reason}`;
  policy.onWait?.(`pull request #${pull.number}: ${pull.head} updated to ${update.sha.slice(0, 12)} (${update.detail}); waiting again`);
  return null;
}
