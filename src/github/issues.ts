// Issues as goals: read one, and tell it what orch is doing (comments when a run starts and ends).
import { OrchError, UsageError } from '../domain/errors.ts';
import { httpStatus, type GitHub } from './client.ts';

export interface IssueGoal {
  number: number;
  title: string;
  body: string;
  url: string;
  labels: string[];
}

/** The issue, or a clear error: missing, a pull request, closed, or the token refused. */
export async function readIssue(github: GitHub, number: number): Promise<IssueGoal> {
  try {
    const { data } = await github.api.rest.issues.get({ ...github.slug, issue_number: number });
    if (data.pull_request !== undefined && data.pull_request !== null) {
      throw new UsageError(`#${number} in ${github.name} is a pull request, not an issue.`, { hint: 'Pass the number of an issue.' });
    }
    if (data.state !== 'open') throw new UsageError(`Issue #${number} in ${github.name} is closed.`, { hint: 'Reopen it first if there is still work to do.' });
    return {
      number,
      title: data.title,
      body: data.body ?? '',
      url: data.html_url,
      labels: data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== ''),
    };
  } catch (error) {
    throw gitHubError(error, github, `issue #${number}`);
  }
}

/** What the agents are asked to do for an issue. */
export function issueGoal(issue: IssueGoal): string {
  const body = issue.body.trim();
  return `${issue.title}\n\n${body === '' ? '(the issue has no description)' : body}\n\n(GitHub issue #${issue.number}: ${issue.url})`;
}

export async function commentOnIssue(github: GitHub, number: number, body: string): Promise<void> {
  try {
    await github.api.rest.issues.createComment({ ...github.slug, issue_number: number, body });
  } catch (error) {
    throw gitHubError(error, github, `a comment on issue #${number}`);
  }
}

/** An Octokit failure as an orch error that says what was asked and what to do. */
export function gitHubError(error: unknown, github: GitHub, what: string): Error {
  if (error instanceof OrchError) return error;
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401) return new UsageError(`GitHub refused the token (401) for ${what} in ${github.name}.`, { hint: 'Check GH_TOKEN / GITHUB_TOKEN, or run: gh auth login' });
  if (status === 404) return new UsageError(`GitHub has no ${what} in ${github.name}, or the token cannot see it (404).`, { hint: 'Check the number and github.repo (or the origin remote).' });
  if (status === 403) return new UsageError(`GitHub forbids ${what} in ${github.name} (403): ${message}`, { hint: 'The token needs the repo scope (issues and pull requests: write).' });
  return new OrchError('internal', `GitHub failed on ${what} in ${github.name}${status === null ? '' : ` (${status})`}: ${message}`, { cause: error, hint: 'orch retried it; try again later (orch resume <run> delivers again).' });
}
