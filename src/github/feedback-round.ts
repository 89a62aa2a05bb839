// Feedback from the pull request: while orch waits to merge it (merge-pr.ts), a review requesting changes or a
// failing required check is turned into a prompt and handed to a feedback round (the engine resumes the same
// agent session on the same branch: engine/run/feedback-round.ts). A round whose change passes orch's checks is
// pushed to the pull request's branch, so the same pull request updates, and orch says on it what changed. Rounds
// are bounded: past the last one, or when the run's budget has no room, orch says on the pull request that it
// gave up, and why.
import { git, type Repository } from '../git/index.ts';
import type { GitHub } from './client.ts';
import { pushHead } from './deliver.ts';
import { commentOnIssue } from './issues.ts';

export type PullFeedback =
  | { kind: 'review'; pull: number; reviewId: number; user: string; body: string }
  | { kind: 'checks'; pull: number; sha: string; failures: { name: string; conclusion: string; title: string; summary: string; text: string }[] };

/** retry: the change is pushed, wait again; else the wait ends with this reason. */
export type FeedbackAnswer = { retry: true } | { retry: false; reason: string };

/** What the engine's round did (the CLI maps its result to this). */
export type RoundOutcome =
  | { started: false; reason: string }
  | { started: true; attemptId: string; headSha: string | null; passed: boolean; costUsd: number; checks: string };

export interface FeedbackLoopOptions {
  github: GitHub;
  repo: Repository;
  pull: number;
  /** The pull request's branch on origin (orch's own), and the branch it goes into (never pushed to). */
  head: string;
  target: string;
  /** The commit the pull request holds now. */
  headSha: string;
  maxRounds: number;
  runRound(round: number, feedback: string, source: string): Promise<RoundOutcome>;
  onMessage?: (message: string) => void;
  /** Told once the rounds end without the pull request being fixed (to record it with the run). */
  onGiveUp?: (reason: string) => Promise<void>;
}

const tailChars = 3000;
const clip = (text: string): string => (text.length > tailChars ? `…${text.slice(-tailChars)}` : text);

export function feedbackSource(feedback: PullFeedback): string {
  return feedback.kind === 'review'
    ? `a review requesting changes (by ${feedback.user || 'a reviewer'}) on pull request #${feedback.pull}`
    : `failing checks (${feedback.failures.map((f) => f.name).join(', ')}) on pull request #${feedback.pull}`;
}

/** The prompt of a round: the review with its line comments, or each failing check's output. */
export async function feedbackText(github: GitHub, feedback: PullFeedback): Promise<string> {
  if (feedback.kind === 'checks') {
    return feedback.failures
      .map((f) => {
        const output = [f.title, f.summary, f.text].filter((part) => part.trim() !== '').join('\n\n');
        return `The pull request's check "${f.name}" concluded ${f.conclusion}.${output === '' ? '' : ` Its output:\n\n\`\`\`\n${clip(output)}\n\`\`\``}`;
      })
      .join('\n\n');
  }
  const { data: comments } = await github.api.rest.pulls.listCommentsForReview({ ...github.slug, pull_number: feedback.pull, review_id: feedback.reviewId, per_page: 100 });
  const lines = comments.map((c) => `- ${c.path}${typeof c.line === 'number' ? `:${c.line}` : ''}: ${c.body}`);
  return [
    `A reviewer (${feedback.user || 'unknown'}) requested changes on the pull request.`,
    feedback.body.trim() === '' ? '' : `The review says:\n\n${feedback.body.trim()}`,
    lines.length === 0 ? '' : `Comments on the code:\n\n${lines.join('\n')}`,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}

async function changedFiles(repo: Repository, from: string, to: string): Promise<string[]> {
  const diff = await git(['diff', '--name-only', from, to, '--'], { cwd: repo.root, allowFailure: true });
  return diff.exitCode === 0 ? diff.stdout.split('\n').filter((line) => line !== '') : [];
}

/** The hook merge-pr.ts calls: one round per feedback, up to maxRounds. */
export function feedbackLoop(options: FeedbackLoopOptions): (feedback: PullFeedback) => Promise<FeedbackAnswer> {
  const { github, pull } = options;
  let rounds = 0;
  let headSha = options.headSha;
  const say = async (body: string): Promise<void> => {
    try {
      await commentOnIssue(github, pull, body);
    } catch (error) {
      options.onMessage?.(`could not comment on pull request #${pull}: ${(error as Error).message}`);
    }
  };
  const stop = async (reason: string): Promise<FeedbackAnswer> => {
    options.onMessage?.(`pull request #${pull}: ${reason}`);
    await say(`🤖 orch gave up on this pull request: ${reason}. A person takes it from here.`);
    await options.onGiveUp?.(reason);
    return { retry: false, reason };
  };
  return async (feedback) => {
    const source = feedbackSource(feedback);
    if (rounds >= options.maxRounds) {
      return stop(`${options.maxRounds} feedback round${options.maxRounds === 1 ? '' : 's'} used up, and it still has ${source}`);
    }
    rounds += 1;
    options.onMessage?.(`pull request #${pull}: ${source}; feedback round ${rounds} of ${options.maxRounds}`);
    const outcome = await options.runRound(rounds, await feedbackText(github, feedback), source);
    if (!outcome.started) return stop(outcome.reason);
    if (outcome.headSha === null || outcome.headSha === headSha) return stop(`feedback round ${rounds} (attempt ${outcome.attemptId}) made no change for ${source}`);
    if (!outcome.passed) return stop(`feedback round ${rounds}'s change (attempt ${outcome.attemptId}) did not pass orch's checks (${outcome.checks}), so it was not pushed`);
    const files = await changedFiles(options.repo, headSha, outcome.headSha);
    await pushHead(options.repo, outcome.headSha, options.head, options.target);
    headSha = outcome.headSha;
    options.onMessage?.(`pull request #${pull}: feedback round ${rounds} pushed ${outcome.headSha.slice(0, 12)} (${files.join(', ') || 'no files'}); waiting again`);
    await say(
      [
        `🤖 orch feedback round ${rounds} of ${options.maxRounds}, for ${source}: the same agent session made the change and pushed ${outcome.headSha.slice(0, 12)} to this pull request.`,
        '',
        `Changed: ${files.length === 0 ? '(no files)' : files.map((f) => `\`${f}\``).join(', ')}`,
        `orch's checks: ${outcome.checks}. Cost of the round: $${outcome.costUsd.toFixed(4)}.`,
      ].join('\n'),
    );
    return { retry: true };
  };
}
