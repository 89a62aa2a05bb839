// github_issues: the repository's open issues that carry the project's label (default `orch`). An item's source id
// is the issue's web address, so a task keeps both its number and its link without a column of its own. Pull
// requests are left out: GitHub's issues API lists them too (they carry a `pull_request` key).
import { gitHubError, type GitHub } from '../../github/index.ts';
import type { BacklogItem, BacklogSource } from './source.ts';

export const githubIssuesSourceName = 'github_issues';

/** The issue a github_issues task links: its number (from the address the source id is). */
export function issueOfTask(task: { source: string; sourceId: string | null }): { number: number; url: string } | null {
  if (task.source !== githubIssuesSourceName || task.sourceId === null) return null;
  const match = /\/issues\/(\d+)$/.exec(task.sourceId);
  return match === null ? null : { number: Number(match[1]), url: task.sourceId };
}

const labelNames = (labels: readonly (string | { name?: string | null })[]): string[] => labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));

/** `open` opens the client when a cycle first reads (so a project that never runs a cycle needs no token). */
export function githubIssuesSource(label: string, open: () => Promise<GitHub>): BacklogSource {
  let github: Promise<GitHub> | undefined;
  const client = () => (github ??= open());
  return {
    name: githubIssuesSourceName,
    async read() {
      const gh = await client();
      try {
        const issues = await gh.api.paginate(gh.api.rest.issues.listForRepo, { ...gh.slug, state: 'open', labels: label, per_page: 100 });
        return issues
          .filter((issue) => issue.pull_request === undefined || issue.pull_request === null)
          // Oldest first: an issue waiting longer is imported (and numbered in the backlog) first.
          .sort((a, b) => a.number - b.number)
          .map((issue): BacklogItem => ({
            sourceId: issue.html_url,
            title: issue.title.trim().slice(0, 200) || `issue #${issue.number}`,
            description: `${(issue.body ?? '').trim()}\n\n(GitHub issue #${issue.number}: ${issue.html_url})`.trim(),
            type: labelNames(issue.labels).some((name) => /^(bug|fix)$/i.test(name)) ? 'fix' : 'code',
            priority: 2,
          }));
      } catch (error) {
        throw gitHubError(error, gh, `the open issues labelled '${label}'`);
      }
    },
    async whyGone(sourceId) {
      const number = issueOfTask({ source: githubIssuesSourceName, sourceId })?.number;
      if (number === undefined) return 'not a GitHub issue address';
      const gh = await client();
      try {
        const { data } = await gh.api.rest.issues.get({ ...gh.slug, issue_number: number });
        if (data.state !== 'open') return `issue #${number} was closed on GitHub`;
        if (!labelNames(data.labels).includes(label)) return `issue #${number} no longer has the label '${label}'`;
        return null;
      } catch (error) {
        // A deleted or transferred issue answers 404 (or 410): it left as surely as a closed one.
        const status = (error as { status?: unknown }).status;
        if (status === 404 || status === 410) return `issue #${number} is gone from ${gh.name}`;
        throw gitHubError(error, gh, `issue #${number}`);
      }
    },
  };
}
