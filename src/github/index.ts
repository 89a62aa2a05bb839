// GitHub: issues in, pull requests out, through Octokit (retry and throttling plugins) and `git push` to origin.
export { openGitHub, httpStatus, type GitHub, type GitHubApi, type GitHubClientOptions } from './client.ts';
export { resolveGitHubToken } from './token.ts';
export { parseSlug, resolveRepoSlug, slugFromRemoteUrl, type RepoSlug } from './repo-slug.ts';
export { commentOnIssue, gitHubError, issueGoal, readIssue, type IssueGoal } from './issues.ts';
export { deliverPullRequest, pullRequestHead, type DeliveredPullRequest, type NotDelivered } from './deliver.ts';
export { pullRequestBody, pullRequestTitle } from './pr-body.ts';
export { endComment, startComment } from './comments.ts';
export { mergeWhenGreen, type MergeWaitOptions, type PullRequestMerge } from './merge-pr.ts';
export { requiresMergeQueue, mergeThroughQueue, isMergeQueueRefusal, type QueueOutcome } from './merge-queue.ts';
export { conflictsWithBase, type BranchToUpdate, type BranchUpdate, type BranchUpdater } from './branch-update.ts';
export { feedbackLoop, feedbackSource, feedbackText, type FeedbackAnswer, type FeedbackLoopOptions, type PullFeedback, type RoundOutcome } from './feedback-round.ts';
