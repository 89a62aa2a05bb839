// `orch run --issue N` and `--deliver pr`: the GitHub side of a run from the command line. Everything a run needs
// from GitHub (the repository, a token, the issue) is settled before the run starts, so bad input changes nothing.
import { resolve } from 'node:path';
import { UsageError } from '../../domain/errors.ts';
import type { AuditedRunReport } from '../../domain/run-report.ts';
import { loadConfig } from '../../engine/run/config-file.ts';
import { git, openRepository, type Repository } from '../../git/index.ts';
import {
  commentOnIssue,
  deliverPullRequest,
  endComment,
  issueGoal,
  openGitHub,
  readIssue,
  resolveGitHubToken,
  resolveRepoSlug,
  startComment,
  type DeliveredPullRequest,
  type GitHub,
  type IssueGoal,
  type NotDelivered,
  mergeWhenGreen,
  type PullRequestMerge,
  type BranchUpdater,
  feedbackLoop,
} from '../../github/index.ts';
import { openContext } from '../context.ts';
import { engineRounds } from './pr-feedback.ts';
import { printErr } from '../output.ts';

export type DeliverMode = 'merge' | 'pr';

export interface GitHubRun {
  github: GitHub;
  repo: Repository;
  issue: IssueGoal | null;
  deliver: DeliverMode;
  /** merge_via github: how long to wait for the pull request's checks, and which must have reported. */
  merge: { via: 'none' | 'github'; requiredChecks: string[]; timeoutMs: number; pollMs: number; maxBranchUpdates: number };
  /** Feedback rounds a review requesting changes or a failing required check may start while orch waits to merge. */
  feedbackRounds: number;
}

export interface GitHubOutcome {
  pullRequest: DeliveredPullRequest | NotDelivered | null;
  merge: PullRequestMerge | null;
  /** Feedback rounds that ran on the pull request. */
  feedbackRounds: number;
  /** The run's report again when feedback rounds added to it (attempts, verdicts, cost). */
  report: AuditedRunReport | null;
}

export function feedbackRoundsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new UsageError(`--feedback-rounds must be a whole number from 0 to 20, not '${value}'.`, { hint: 'e.g. --feedback-rounds 2 (0: never answer a review or a failing check)' });
  return n;
}

export function deliverFlag(value: string | undefined): DeliverMode | undefined {
  if (value === undefined || value === 'merge' || value === 'pr') return value;
  throw new UsageError(`--deliver must be merge or pr, not '${value}'.`, { hint: 'merge: orch merges into the target; pr: orch pushes a branch and opens a pull request.' });
}

export function issueFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replace(/^#/, ''));
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`--issue must be an issue number, not '${value}'.`, { hint: 'e.g. --issue 42' });
  return number;
}

/** The GitHub side of a run, or null when the run needs none (no issue, delivery by merge). */
export async function prepareGitHubRun(options: {
  repoPath: string;
  configPath: string | undefined;
  issue: number | undefined;
  deliver: DeliverMode | undefined;
  /** The repository as stored with a resumed run, over config and origin. */
  repoName?: string;
  /** --feedback-rounds, over the config's github.feedbackRounds. */
  feedbackRounds?: number | undefined;
}): Promise<GitHubRun | null> {
  const repo = await openRepository(resolve(options.repoPath));
  const config = loadConfig(repo.root, options.configPath === undefined ? undefined : resolve(options.configPath));
  const deliver = options.deliver ?? config.github.deliver;
  if (options.issue === undefined && deliver === 'merge') return null;
  const slug = await resolveRepoSlug(repo, options.repoName ?? config.github.repo);
  if (deliver === 'pr') {
    const origin = await git(['remote', 'get-url', 'origin'], { cwd: repo.root, allowFailure: true });
    if (origin.exitCode !== 0) {
      throw new UsageError('--deliver pr pushes to the `origin` remote, and this repository has none.', { hint: 'git remote add origin <your GitHub clone URL>' });
    }
  }
  const token = await resolveGitHubToken();
  const github = openGitHub({ baseUrl: config.github.apiUrl, token, slug, onWait: (message) => printErr(`orch: ${message}`) });
  const issue = options.issue === undefined ? null : await readIssue(github, options.issue);
  const merge = { via: config.github.mergeVia, requiredChecks: config.github.requiredChecks, timeoutMs: config.github.checksTimeoutSeconds * 1000, pollMs: config.github.checkPollSeconds * 1000, maxBranchUpdates: config.github.maxBranchUpdates };
  return { github, repo, issue, deliver, merge, feedbackRounds: options.feedbackRounds ?? config.github.feedbackRounds };
}

/** The goal of a run on an issue; a goal given as well is refused (one source of truth for what to do). */
export function goalFor(goal: string | undefined, run: GitHubRun | null): string {
  if (run?.issue !== null && run?.issue !== undefined) {
    if (goal !== undefined) throw new UsageError('Give either a goal or --issue, not both.', { hint: 'With --issue the issue title and body are the goal; edit the issue to say more.' });
    return issueGoal(run.issue);
  }
  if (goal === undefined) throw new UsageError('No goal: say what the agents should do, or pass --issue N.', { hint: 'orch run "fix the failing date test"   or   orch run --issue 42' });
  return goal;
}

/** A comment that does not reach GitHub is reported and the run goes on: it is news, not the work. */
export async function tellIssue(run: GitHubRun, issue: number | undefined, body: string): Promise<void> {
  if (issue === undefined) return;
  try {
    await commentOnIssue(run.github, issue, body);
  } catch (error) {
    printErr(`orch: could not comment on issue #${issue}: ${(error as Error).message}`);
  }
}

export async function startedOnIssue(run: GitHubRun, runId: string, strategy: string): Promise<void> {
  await tellIssue(run, run.issue?.number, startComment(runId, { strategy, deliver: run.deliver }));
}

/** After the run: the pull request (in pr mode) and the closing comment on the issue. */
export async function finishOnGitHub(run: GitHubRun, report: AuditedRunReport, issue: number | undefined): Promise<GitHubOutcome> {
  let delivered: DeliveredPullRequest | NotDelivered | null = null;
  let merge: PullRequestMerge | null = null;
  let rounds: ReturnType<typeof engineRounds> | null = null;
  try {
    if (run.deliver === 'pr') delivered = await deliverPullRequest(run.github, run.repo, report, issue === undefined ? {} : { issue });
    if (delivered !== null && delivered.number !== null && !delivered.draft && run.merge.via === 'github') {
      const winner = (report.run.result as { winner?: unknown } | null)?.winner;
      rounds = run.feedbackRounds > 0 && typeof winner === 'string' ? engineRounds(report.run.id, winner) : null;
      const onFeedback =
        rounds === null
          ? undefined
          : feedbackLoop({
              github: run.github,
              repo: run.repo,
              pull: delivered.number,
              head: delivered.head,
              target: report.run.target,
              headSha: delivered.headSha,
              maxRounds: run.feedbackRounds,
              runRound: rounds.runRound,
              onGiveUp: rounds.gaveUp,
              onMessage: (message) => printErr(`orch: ${message}`),
            });
      merge = await mergeWhenGreen(run.github, delivered.number, { ...run.merge, onWait: (message) => printErr(`orch: ${message}`), updateBranch: branchUpdater(report.run.id), ...(onFeedback === undefined ? {} : { onFeedback }) });
    }
  } catch (error) {
    await tellIssue(run, issue, endComment(report, delivered ?? { number: null, reason: `delivering the pull request failed (${(error as Error).message})` }));
    throw error;
  }
  const after = rounds?.latestReport() ?? null;
  await tellIssue(run, issue, endComment(after ?? report, delivered, merge));
  return { pullRequest: delivered, merge, feedbackRounds: rounds?.rounds() ?? 0, report: after };
}

/** Updating a conflicting pull request's branch is the run's work (its resolver agent, its checks): the engine does it. */
function branchUpdater(runId: string): BranchUpdater {
  return async (pull) => {
    const context = await openContext();
    try {
      return await context.engine.updatePullRequestBranch(runId, pull);
    } finally {
      context.close();
    }
  };
}
