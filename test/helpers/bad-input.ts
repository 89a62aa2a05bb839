// The bad-input suite's toolkit: everything about a repository orch must leave as it was, the runs recorded under
// an ORCH_HOME, the shape of a refusal (what is wrong and what to do, exit code 2, no stack trace), and a count of
// the cases each file ran. Temp dirs live until the file ends, so cases may run concurrently.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { git } from '../../src/git/exec.ts';
import { Store } from '../../src/store/store.ts';
import { createTempRepo, makeTempDir, snapshotTree, type TempRepo, type TreeSnapshot } from './git-fixture.ts';
import { fakeAgentConfig, runOrch, type OrchResult } from './orch-cli.ts';

/** A committed config for the fake agent (it writes x.txt), so the checked-out target stays clean. */
export const okConfig = fakeAgentConfig({ files: { 'x.txt': 'x\n' } });

export interface RepoState {
  tree: TreeSnapshot;
  /** Every file under .git (objects, refs, logs, config, info/exclude, locks), path -> sha256. */
  gitFiles: Record<string, string>;
  refs: string;
  worktrees: string;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** path -> sha256 of every file under `dir` (a symlink: where it points). */
export function hashFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = entry.isSymbolicLink() ? `symlink to ${readlinkSync(path)}` : sha256(readFileSync(path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** The repository as orch must leave it after refusing: tree, index, HEAD, every byte under .git, refs, worktrees. */
export async function repoState(root: string): Promise<RepoState> {
  const [tree, refs, worktrees] = await Promise.all([
    snapshotTree(root),
    git(['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: root }),
    git(['worktree', 'list', '--porcelain'], { cwd: root }),
  ]);
  return { tree, gitFiles: hashFiles(join(root, '.git')), refs: refs.stdout, worktrees: worktrees.stdout };
}

/** Create the store under `home` up front, so cases running side by side only open it (as `orch runs` would). */
export function createStore(home: string): void {
  new Store(join(home, 'orch.db')).close();
}

/** How many runs the store under `home` holds (0 when there is no store at all). */
export function runsRecorded(home: string): number {
  const path = join(home, 'orch.db');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A refusal: exit code 2, the expected message, and no stack trace or "unexpected error" on stderr. */
export function expectRefusal(result: OrchResult, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/unexpected error|^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).toMatch(/^(orch|error): /);
  expect(result.exitCode, result.stderr).toBe(2);
}

/** Temp repos and dirs kept until the end of the file (cases of one file may run concurrently). */
export function useSuiteTemp(): { repo: (options?: Parameters<typeof createTempRepo>[0]) => Promise<TempRepo>; dir: () => Promise<string> } {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });
  return {
    async repo(options) {
      const repo = await createTempRepo(options);
      cleanups.push(repo.cleanup);
      return repo;
    },
    async dir() {
      const dir = await makeTempDir('orch-bad-input-');
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}

/** Counts the cases a file ran and prints the count when it ends. */
export function caseCounter(theme: string): () => void {
  let cases = 0;
  afterAll(() => {
    console.log(`bad-input suite (${theme}): ${cases} cases`);
  });
  return () => {
    cases++;
  };
}

export interface RefusalCase {
  args: readonly string[];
  message: RegExp;
  /** The repository whose state must not change; the working directory unless `cwd` is given. */
  root: string;
  home: string;
  cwd?: string;
  env?: Record<string, string>;
  /** What must stay the same; default `repoState(root)` (which needs a commit: pass `hashFiles` for others). */
  state?: (root: string) => unknown;
  /** Count the runs in the store before and after (default); off where opening the store itself is the risk. */
  countRuns?: boolean;
}

/** Run the real CLI on bad input: it refuses clearly, the repository is byte-identical after, no run is recorded. */
export async function expectRefusedWithoutChange(c: RefusalCase): Promise<OrchResult> {
  const state = c.state ?? repoState;
  const before = await state(c.root);
  const countRuns = c.countRuns !== false;
  const runsBefore = countRuns ? runsRecorded(c.home) : 0;
  const result = await runOrch(c.args, { cwd: c.cwd ?? c.root, home: c.home, ...(c.env ? { env: c.env } : {}) });
  expectRefusal(result, c.message);
  expect(await state(c.root)).toEqual(before);
  if (countRuns) expect(runsRecorded(c.home)).toBe(runsBefore);
  return result;
}

/** A run that must succeed: `--json` (put right after the command, before any `--`), exit 0; returns the report. */
export async function expectRunSucceeds(args: readonly string[], options: { cwd: string; home: string; env?: Record<string, string> }): Promise<RunJson> {
  const result = await runOrch([...args.slice(0, 1), '--json', ...args.slice(1)], options);
  expect(result.exitCode, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as RunJson;
  expect(report.run.status).toBe('succeeded');
  return report;
}

export interface RunJson {
  run: { id: string; status: string; goal: string; target: string; strategy: string };
  attempts: { id: string; branch: string }[];
}

/** Refs as name -> sha. */
export function parseRefs(refs: string): Map<string, string> {
  return new Map(
    refs
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', sha = ''] = line.split(' ');
        return [name, sha];
      }),
  );
}

/**
 * After a successful run: every ref that existed still points where it did except `moved`; new refs are orch's own
 * branches (and `moved`, when the run created it); the same worktrees on the same branches (attempt worktrees are gone).
 */
export function expectOnlyOrchChanges(before: RepoState, after: RepoState, moved: string): void {
  const refsBefore = parseRefs(before.refs);
  const refsAfter = parseRefs(after.refs);
  for (const [name, sha] of refsBefore) if (name !== `refs/heads/${moved}`) expect(refsAfter.get(name), name).toBe(sha);
  for (const name of refsAfter.keys()) {
    if (!refsBefore.has(name)) expect(name === `refs/heads/${moved}` || name.startsWith('refs/heads/orch/'), name).toBe(true);
  }
  const withoutHeads = (list: string) => list.replace(/^HEAD .*\n/gm, '');
  expect(withoutHeads(after.worktrees)).toBe(withoutHeads(before.worktrees));
}

/** The user's files outside the audit trail (`.orch/`), which a successful run writes. */
export function filesOutsideAudit(tree: TreeSnapshot): Record<string, string> {
  return Object.fromEntries(Object.entries(tree.files).filter(([path]) => !path.startsWith('.orch/')));
}
