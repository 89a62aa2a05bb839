// The backlog sources by name, and the idempotent import of a source's items into the store.
import type { Store } from '../../store/store.ts';
import type { PortfolioProject } from '../config.ts';
import { backlogFileSource } from './backlog-file.ts';
import { claudeMdSource } from './claude-md.ts';
import type { BacklogSource } from './source.ts';

export type { BacklogItem, BacklogSource } from './source.ts';

/** `manual` reads nothing (tasks come from the CLI, the API and the web page); `github_issues` is a place kept
 * for the GitHub source, which reads nothing yet. */
const nothing = (name: string): BacklogSource => ({ name, read: () => Promise.resolve([]) });

export function sourceFor(project: PortfolioProject): BacklogSource {
  switch (project.backlogSource) {
    case 'backlog_file':
      return backlogFileSource(project.backlogFile);
    case 'claude_md':
      return claudeMdSource();
    case 'github_issues':
      return nothing('github_issues');
    case 'manual':
      return nothing('manual');
  }
}

/** Bring the source's open items into the backlog; items already imported stay as they are. Returns how many are new. */
export async function importBacklog(store: Store, project: PortfolioProject, source: BacklogSource = sourceFor(project)): Promise<number> {
  const items = await source.read(project.path);
  let added = 0;
  for (const item of items) {
    const { created } = store.backlog.add({ project: project.name, title: item.title, description: item.description, type: item.type, priority: item.priority, source: source.name, sourceId: item.sourceId, dependsOn: [] });
    if (created) added++;
  }
  return added;
}
