// Portfolio tests' shared parts: scripted planner and worker conversations, sample repositories, a portfolio file,
// the cycles in the store, and the agents a daemon left behind.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orchPaths } from '../../src/domain/paths.ts';
import { Store } from '../../src/store/store.ts';
import type { Cycle } from '../../src/domain/backlog.ts';
import { claudeConfig } from './claude-run.ts';
import type { TempRepo, useTempRepos } from './git-fixture.ts';

export interface PlannedTask {
  id: string;
  title: string;
  description: string;
  dependsOn?: string[];
}

export const planAnswer = (tasks: PlannedTask[]): string =>
  JSON.stringify({ found: 'a small repository', proposal: 'the tasks below', deferred: [], risks: [], tasks: tasks.map((t) => ({ type: 'code', dependsOn: [], files: [], acceptance: 'the file exists', ...t })) });

export const plannerScript = (name: string, match: string, tasks: PlannedTask[]) => ({ name, match: { prompt: match }, turns: [{ text: planAnswer(tasks) }] });

export const workerScript = (marker: string, file: string, before: Record<string, unknown>[] = []) => ({
  name: marker,
  match: { prompt: marker },
  turns: [...before, { tool: 'Write', input: { file_path: `{{cwd}}/${file}`, content: `${marker}\n` } }, { text: 'done' }],
});

export async function sampleRepo(temp: ReturnType<typeof useTempRepos>, config: Record<string, unknown> = {}): Promise<TempRepo> {
  const repo = await temp.repo({ files: { 'README.md': 'sample\n', 'orch.config.json': claudeConfig(config) } });
  // The target (main) is not checked out: the refinery moves it without any working tree.
  await repo.git(['switch', '--quiet', '-c', 'work']);
  return repo;
}

export function writePortfolio(home: string, portfolio: Record<string, unknown>): string {
  const path = join(home, 'portfolio.jsonc');
  writeFileSync(path, JSON.stringify(portfolio));
  return path;
}

export function withStore<T>(home: string, read: (store: Store) => T): T {
  const store = new Store(orchPaths(home).database);
  try {
    return read(store);
  } finally {
    store.close();
  }
}

export const cycles = (home: string, project: string): Cycle[] => withStore(home, (store) => store.cycles.list(project));
export const settledCycles = (home: string, project: string): Cycle[] => cycles(home, project).filter((c) => c.settledAt !== null);

/** Live agent processes whose environment carries `marker`: after a cycle's end, any is an orphan. */
export function agentProcesses(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('claude') && readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}
