// git through argv only: the public surface of src/git.
export { git, gitEnv, failure, noHooks, type GitOptions, type GitResult } from './exec.ts';
export { assertRefSyntax, assertSha, isValidRefName, validateBranchName, validateFullRef } from './refname.ts';
export {
  openRepository,
  resolveCommit,
  currentBranch,
  isWorkingTreeClean,
  branchExists,
  branchSha,
  isShallow,
  cwdOf,
  type Repository,
  type RepoRef,
} from './repo.ts';
export { nearestGitTop } from './discover.ts';
export { listWorktrees, worktreeWithBranchCheckedOut, parseWorktreeList, type WorktreeInfo } from './worktree-list.ts';
export { addWorktree, pruneWorktrees, removeWorktree, restoreWorktree, type AddWorktreeOptions } from './worktree.ts';
export { addBranch, attemptBranchName, branchSegment, deleteBranch, isOrchBranch, orchBranchPrefix, type AttemptBranchInput } from './branch.ts';
export { orchIdentity, identityEnv, type GitIdentity } from './identity.ts';
export { commitAll, headSha } from './commit.ts';
export { diffStat, diffText, changedLines, parseNumstat, type DiffStat, type FileStat, type DiffText } from './diff.ts';
export { mergeTree, commitTree, parseMergeTree, type MergeTreeResult, type MergeMessage } from './merge.ts';
export { isAncestor, isRefMoved, mergeBase, updateRef, type UpdateRefOptions } from './refs.ts';
export { ensureExcluded } from './exclude.ts';
export { copySetupFiles, excludeSetupFiles, literalExcludePattern, untrackedSetupFiles } from './setup-files.ts';
export { fastForwardCheckedOutBranch, type FastForwardResult, type FastForwardStatus } from './fast-forward.ts';
export { commitMerge, conflictExcerpt, filesWithConflictMarkers, startMerge, unmergedFiles, type MergeStart } from './merge-worktree.ts';
export { changedPaths, commitReader, readFileAt, restorePaths, resetToHead, type ChangeKind, type PathChange } from './tree-files.ts';
