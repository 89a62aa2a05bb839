// The backlog sources by name, and the idempotent import of a source's items into the store.
import type { Store } from '../../store/store.ts';
import type { PortfolioProject } from '../config.ts';
import { backlogFileSource } from './backlog-file.ts';
import { claudeMdSource } from './claude-md.ts';
import { githubIssuesSource } from './github-issues.ts';
import { openProjectGitHub } from '../project-github.ts';
import type { BacklogSource } from './source.ts';

export type { BacklogItem, BacklogSource } from './source.ts';

/** `manual` reads nothing: tasks come from the CLI, the API and the web page. */
const nothing = (name: string): BacklogSource => ({ name, read: () => Promise.resolve([]) });

export function sourceFor(project: PortfolioProject): BacklogSource {
  switch (project.backlogSource) {
    case 'backlog_file':
      return backlogFileSource(project.backlogFile);
    case 'claude_md':
      return claudeMdSource();
    case 'github_issues':
      return githubIssuesSource(project.githubLabel, () => openProjectGitHub(project.path));
    case 'manual':
      return nothing('manual');
  }
}

/** The reason an item that left its source is deferred with: one that comes back is pending again. */
const leftPrefix = 'left the backlog: ';
/** Items that left their source (deferred by an import, not by a person): a cycle refuses tasks that name them. */
export function leftItems(store: Store, project: string): { id: number; reason: string }[] {
  return store.backlog
    .list(project, 'deferred')
    .filter((t) => t.reason?.startsWith(leftPrefix) === true)
    .map((t) => ({ id: t.id, reason: (t.reason ?? '').slice(leftPrefix.length) }));
}

/** Items a cycle may still take up (done and deferred ones are out of its reach already). */
const waiting = new Set(['pending', 'failed', 'blocked', 'running']);

/**
 * Bring the source's open items into the backlog; items already imported stay as they are. For a source whose items
 * can leave (`whyGone`), an item imported before and missing now is deferred with the reason, so no cycle runs it,
 * and one deferred so that appears again is pending again. Returns how many are new.
 */
export async function importBacklog(store: Store, project: PortfolioProject, source: BacklogSource = sourceFor(project)): Promise<number> {
  const items = await source.read(project.path);
  let added = 0;
  const seen = new Set<string>();
  for (const item of items) {
    seen.add(item.sourceId);
    const { task, created } = store.backlog.add({ project: project.name, title: item.title, description: item.description, type: item.type, priority: item.priority, source: source.name, sourceId: item.sourceId, dependsOn: [] });
    if (created) added++;
    else if (task.status === 'deferred' && task.reason?.startsWith(leftPrefix) === true) store.backlog.setStatus(task.id, 'pending', `back in ${source.name}`);
  }
  if (source.whyGone === undefined) return added;
  for (const task of store.backlog.list(project.name)) {
    if (task.source !== source.name || task.sourceId === null || seen.has(task.sourceId) || !waiting.has(task.status)) continue;
    const why = await source.whyGone(task.sourceId);
    if (why !== null) store.backlog.setStatus(task.id, 'deferred', `${leftPrefix}${why}`);
  }
  return added;
}
