// What orch tells the GitHub issue behind a github_issues task: a comment when a cycle starts working on it, and
// one when the cycle has settled (merged, still open, or given up, with the cost). A comment that does not reach
// GitHub is logged and the cycle goes on: it is news, not the work.
import { backlogIdOfKey, type BacklogTask } from '../domain/backlog.ts';
import { commentOnIssue, type GitHub } from '../github/index.ts';
import { usd } from '../report/markdown.ts';
import type { Store } from '../store/store.ts';
import type { PortfolioProject } from './config.ts';
import { openProjectGitHub } from './project-github.ts';
import { issueOfTask } from './sources/github-issues.ts';

export interface IssueNewsOptions {
  /** The project's GitHub (default: its orch.config.json's repository, API address and the token of the environment). */
  open?: (project: PortfolioProject) => Promise<GitHub>;
  warn: (message: string, error: unknown) => void;
}

export class IssueNews {
  private readonly clients = new Map<string, Promise<GitHub>>();
  private readonly started = new Set<string>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly projects: readonly PortfolioProject[],
    private readonly options: IssueNewsOptions,
  ) {}

  /** Comment on an item's issue when a task of a cycle that works on it starts. Returns the unsubscribe. */
  track(): () => void {
    return this.store.events.subscribe((event) => {
      if (event.type !== 'task.running' || event.runId === null || typeof event.data['key'] !== 'string') return;
      const runId = event.runId;
      const key = event.data['key'];
      // Listeners run while the store publishes a committed transaction: read after it.
      queueMicrotask(() => this.taskStarted(runId, key));
    });
  }

  private taskStarted(runId: string, key: string): void {
    const found = this.itemOf(runId, key);
    if (found === null) return;
    const { project, item, issue } = found;
    // A task that runs again (a retry, the next round) is the same news: one comment per item and cycle.
    if (this.started.has(`${runId}/${item.id}`)) return;
    this.started.add(`${runId}/${item.id}`);
    this.send(project, issue, `🤖 orch started working on this issue: task \`${key}\` of cycle run \`${runId}\` (portfolio project ${project.name}, backlog task ${item.id}).`);
  }

  /** After a cycle has settled: one comment on each issue it worked on, saying how it ended. */
  cycleEnded(runId: string): void {
    const cycle = this.store.cycles.find(runId);
    const project = this.projects.find((p) => p.name === cycle?.project);
    if (cycle === undefined || project === undefined || project.backlogSource !== 'github_issues') return;
    const target = this.store.runs.get(runId).target;
    for (const item of this.store.backlog.list(project.name)) {
      const issue = issueOfTask(item);
      const results = this.store.backlog.history(item.id).filter((r) => r.runId === runId);
      if (issue === null || results.length === 0) continue;
      this.send(project, issue.number, endOfCycle(runId, item, results, target));
    }
  }

  /** Wait for the comments under way (before a command exits), at most `timeoutMs`: a stop must not hang on GitHub. */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sending.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([...this.sending]), late]);
      clearTimeout(timer);
    }
  }

  private itemOf(runId: string, key: string): { project: PortfolioProject; item: BacklogTask; issue: number } | null {
    const link = backlogIdOfKey(key);
    const cycle = this.store.cycles.find(runId);
    const project = this.projects.find((p) => p.name === cycle?.project);
    if (link === null || project === undefined || project.backlogSource !== 'github_issues') return null;
    try {
      const item = this.store.backlog.get(link.id);
      const issue = item.project === project.name ? issueOfTask(item) : null;
      return issue === null ? null : { project, item, issue: issue.number };
    } catch {
      return null; // The planner named an item that does not exist.
    }
  }

  private send(project: PortfolioProject, issue: number, body: string): void {
    let client = this.clients.get(project.name);
    if (client === undefined) {
      client = (this.options.open ?? ((p: PortfolioProject) => openProjectGitHub(p.path)))(project);
      this.clients.set(project.name, client);
    }
    const sent = client
      .then((github) => commentOnIssue(github, issue, body))
      .catch((error: unknown) => this.options.warn(`could not comment on issue #${issue} of project ${project.name}`, error))
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }
}

function endOfCycle(runId: string, item: BacklogTask, results: readonly { taskKey: string; status: string; summary: string; costUsd: number }[], target: string): string {
  const cost = usd(results.reduce((sum, r) => sum + r.costUsd, 0));
  const lines = results.map((r) => `- \`${r.taskKey}\`: ${r.status === 'done' ? 'merged' : r.status} — ${r.summary.replace(/\s+/g, ' ').slice(0, 300)}`);
  const head =
    item.status === 'done'
      ? `✅ orch finished this issue in cycle run \`${runId}\`: merged into \`${target}\` (no pull request: portfolio cycles merge through orch's refinery).`
      : item.status === 'failed'
        ? `❌ orch gave up on this issue in cycle run \`${runId}\`; the next cycles see why and do not send the same task out again unchanged.`
        : `orch worked on this issue in cycle run \`${runId}\`; it stays open in the backlog for the next cycle.`;
  return [head, '', ...lines, '', `Cost: ${cost}`].join('\n');
}
