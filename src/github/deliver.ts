// Delivery as a pull request: the chosen attempt's commit is pushed to a branch of its own on `origin` and a pull
// request opened against the target (or, for a run that already has one, updated). orch never pushes to the
// target in this mode: the pull request, and the repository's rules, carry the change there.
import { OrchError } from '../domain/errors.ts';
import type { Attempt } from '../domain/records.ts';
import type { AuditedRunReport } from '../domain/run-report.ts';
import { git, noHooks, type Repository } from '../git/index.ts';
import type { GitHub } from './client.ts';
import { gitHubError } from './issues.ts';
import { pullRequestBody, pullRequestTitle } from './pr-body.ts';

export interface DeliveredPullRequest {
  number: number;
  url: string;
  draft: boolean;
  /** The run already had this pull request (a resumed run): it was updated, not opened again. */
  updated: boolean;
  head: string;
  headSha: string;
}

export interface NotDelivered {
  number: null;
  reason: string;
}

/** The branch on the remote a run's pull request comes from: one per run, so a resume finds its pull request. */
export const pullRequestHead = (runId: string): string => `orch/${runId}/pr`;

function winnerOf(report: AuditedRunReport): Attempt | undefined {
  const winner = (report.run.result as { winner?: unknown } | null)?.winner;
  return typeof winner === 'string' ? report.attempts.find((a) => a.id === winner) : undefined;
}

export async function pushHead(repo: Repository, sha: string, head: string, target: string): Promise<void> {
  if (head === target) throw new OrchError('repository_state', `orch will not push to the target branch '${target}' when delivering a pull request.`);
  // Force: the branch is orch's own for this run, and a resume may have chosen another commit.
  const pushed = await git([...noHooks, 'push', '--porcelain', 'origin', `+${sha}:refs/heads/${head}`], { cwd: repo.root, allowFailure: true, timeoutMs: 300_000 });
  if (pushed.exitCode !== 0) {
    throw new OrchError('git', `git push to origin failed: ${pushed.stderr.trim().split('\n').slice(-3).join(' ')}`, {
      hint: 'Check that origin is reachable and that you may push branches to it; then orch resume <run> delivers again.',
    });
  }
}

/**
 * The pull request branch's head on origin when it already holds `sha` (a feedback round or a branch update pushed
 * on top of it since): delivering again must not rewind that work. Null when the branch is missing or elsewhere.
 */
async function remoteHeadHolding(repo: Repository, head: string, sha: string): Promise<string | null> {
  const cwd = repo.root;
  const listed = await git([...noHooks, 'ls-remote', 'origin', `refs/heads/${head}`], { cwd, allowFailure: true, timeoutMs: 120_000 });
  const remoteSha = /^([0-9a-f]{40,64})\s/.exec(listed.stdout)?.[1];
  if (listed.exitCode !== 0 || remoteSha === undefined) return null;
  if (remoteSha === sha) return sha;
  const known = await git(['cat-file', '-e', `${remoteSha}^{commit}`], { cwd, allowFailure: true });
  if (known.exitCode !== 0) await git([...noHooks, 'fetch', '--quiet', '--no-tags', 'origin', `refs/heads/${head}`], { cwd, allowFailure: true, timeoutMs: 300_000 });
  const holds = await git(['merge-base', '--is-ancestor', sha, remoteSha], { cwd, allowFailure: true });
  return holds.exitCode === 0 ? remoteSha : null;
}

/**
 * Push the run's chosen attempt and open (or update) its pull request. A draft when the attempt did not pass its
 * checks; nothing at all when no attempt produced a commit or the change holds a secret or a symlink out of the tree.
 */
export async function deliverPullRequest(
  github: GitHub,
  repo: Repository,
  report: AuditedRunReport,
  options: { issue?: number },
): Promise<DeliveredPullRequest | NotDelivered> {
  const winner = winnerOf(report);
  if (winner === undefined || winner.headSha === null) return { number: null, reason: 'no attempt produced a change to propose' };
  const security = winner.security;
  if (security !== null && (security.secretFiles.length > 0 || security.outsideSymlinks.length > 0)) {
    return { number: null, reason: `attempt ${winner.id} holds a secret or a symlink out of the tree: it is not pushed anywhere` };
  }
  const verdict = report.verdicts.filter((v) => v.attemptId === winner.id).at(-1);
  const draft = report.run.status !== 'succeeded' || verdict?.passed !== true;
  const head = pullRequestHead(report.run.id);
  const target = report.run.target;
  // Delivered before (a resume): a branch already holding the attempt and more is left as it is.
  let headSha = await remoteHeadHolding(repo, head, winner.headSha);
  if (headSha === null) {
    await pushHead(repo, winner.headSha, head, target);
    headSha = winner.headSha;
  }

  const title = pullRequestTitle(report.run.goal, options.issue);
  const body = pullRequestBody(report, { winner: winner.id, ...(options.issue === undefined ? {} : { issue: options.issue }) });
  try {
    const open = await github.api.rest.pulls.list({ ...github.slug, head: `${github.slug.owner}:${head}`, state: 'open' });
    const existing = open.data.find((pull) => pull.head.ref === head);
    if (existing !== undefined) {
      const { data } = await github.api.rest.pulls.update({ ...github.slug, pull_number: existing.number, title, body, base: target });
      return { number: data.number, url: data.html_url, draft: data.draft === true, updated: true, head, headSha };
    }
    const { data } = await github.api.rest.pulls.create({ ...github.slug, head, base: target, title, body, draft });
    return { number: data.number, url: data.html_url, draft: data.draft === true, updated: false, head, headSha };
  } catch (error) {
    throw gitHubError(error, github, `the pull request from ${head}`);
  }
}
