// The scripted GitHub's records and its handle: what a test reads back (issues, pull requests, check runs, the
// request log) and the levers it pulls (faults, reviews, merge queues). The server is github-server.ts.
import type { MergeQueueEntry } from './github-merge-room.ts';

export interface GitHubUser {
  login: string;
}

export interface ScriptedIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: { id: number; body: string; user: string }[];
  /** Set when a merged pull request's body said `Fixes #N`. */
  closedBy: number | null;
}

export interface ScriptedPull {
  number: number;
  title: string;
  body: string;
  head: string;
  /** From the remote's branch (null while it is missing there), or a stand-in per branch without a remote. */
  headSha: string | null;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  mergeMethod: string | null;
  /** The commit the merge made (with `landMerges`, the merge commit on the remote's base). */
  mergeCommitSha?: string | null;
  reviews: { id: number; state: string; body: string; user: string }[];
}

export interface ScriptedCheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  /** What the check says (a CI job's title, summary and log excerpt). */
  output?: { title?: string; summary?: string; text?: string };
}

/** A comment on a line of code, left with a review. */
export interface ScriptedReviewComment {
  path: string;
  line?: number;
  body: string;
}

export interface GitHubFault {
  status: number;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  method?: string;
  /** Matched against the path (without query). */
  path?: RegExp;
  /** A 403/429 rate limit: `x-ratelimit-remaining: 0` and `x-ratelimit-reset` this many seconds ahead. */
  rateLimitResetSeconds?: number;
  /** A secondary rate limit: `retry-after` in seconds. */
  retryAfterSeconds?: number;
  message?: string;
}

export interface GitHubRecordedRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** Whether the request carried the expected token (the token itself is never recorded). */
  authorized: boolean;
  at: number;
}

export interface ScriptedGitHubOptions {
  owner?: string;
  repo?: string;
  /** The token requests must carry (`Authorization: token …` or `Bearer …`); default 'test-github-token'. */
  token?: string;
  /** A bare repository standing in for the GitHub remote: pull request heads are read from it. */
  remote?: string;
  /** With a remote: a merge lands there as GitHub's does (a merge commit on the base), else only the pull request records it. */
  landMerges?: boolean;
  port?: number;
}

export interface ScriptedGitHubServer {
  /** The API base URL (Octokit's `baseUrl`). */
  readonly url: string;
  readonly port: number;
  readonly owner: string;
  readonly repo: string;
  readonly issues: ReadonlyMap<number, ScriptedIssue>;
  readonly pulls: ReadonlyMap<number, ScriptedPull>;
  readonly requestLog: readonly GitHubRecordedRequest[];
  addIssue(issue: { title: string; body?: string; labels?: string[] }): ScriptedIssue;
  /** A review on a pull request, as a person would leave one. */
  addReview(pull: number, review: { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body?: string; user?: string }): void;
  /** The check runs GitHub reports for a commit sha, or for a branch name (a pull request's head). */
  setCheckRuns(ref: string, runs: ScriptedCheckRun[]): void;
  /** Labels on a pull request (as a person adds them): GitHub's issues list then shows it under those labels too. */
  labelPull(pull: number, labels: string[]): void;
  fault(fault: GitHubFault): void;
  /** A merge queue required on a branch (a ruleset): the REST merge refuses, enqueuePullRequest (GraphQL) queues. */
  requireMergeQueue(base: string, options?: { requiredChecks?: string[] }): void;
  mergeQueue(base: string): readonly MergeQueueEntry[];
  /** The ref the queue's checks run on for a queued pull request (`gh-readonly-queue/<base>/pr-<n>`), or null. */
  mergeGroupRef(pull: number): string | null;
  /** A person removes a pull request from the merge queue. */
  removeFromMergeQueue(pull: number, reason: string): void;
  close(): Promise<void>;
  // --- Feedback on pull requests (reviews with line comments, checks per pushed head, comments on the PR) ---
  /** A review with comments on lines of code; returns the review's id. */
  addReviewWithComments(pull: number, review: { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body?: string; user?: string; comments: ScriptedReviewComment[] }): number;
  /**
   * The check runs of each head the pull request has had, decided when GitHub is first asked about that head:
   * `push` counts the heads seen (0 for the first). For CI that fails on one push and passes on the next.
   */
  scriptChecks(pull: number, decide: (sha: string, push: number) => ScriptedCheckRun[]): void;
  /** The comments left on a pull request (its conversation), oldest first. */
  pullComments(pull: number): readonly { id: number; body: string; user: string }[];
}
