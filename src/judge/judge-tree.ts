// Judging an attempt's tree: its checks as it left them, then, if it changed files that define the checks,
// the same checks again with the base's versions of those files (held-out checks; test files it added stay).
// Both runs are weighed against the base's checks; the attempt passes only if both pass. The held-out run works in
// a separate tree at the attempt's commit, never in the attempt's own worktree: a crash (kill -9) in the middle
// leaves the base's versions only in a throwaway tree, never where the agent's work (or a resumed agent) lives.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { weighChecks } from '../domain/judgement.ts';
import type { CheckResult, Judgement } from '../domain/records.ts';
import { changedPaths, restorePaths, type RepoRef } from '../git/index.ts';
import { classifyChanges, type CheckFileRules } from './check-files.ts';
import { runChecks, type CheckRunOptions, type CheckSpec } from './checks.ts';

export interface TreeJudgementRequest {
  repo: RepoRef;
  /** The attempt's worktree, at headSha with nothing uncommitted. */
  cwd: string;
  baseSha: string;
  headSha: string;
  checks: readonly CheckSpec[];
  options: CheckRunOptions;
  rules: CheckFileRules;
  /** The base's results of the same checks; null when the base was not checked. */
  baseline: readonly CheckResult[] | null;
  /** Runs `work` in a fresh checkout of `sha` that is removed afterwards (the held-out checks run there). */
  scratchTree<T>(sha: string, work: (cwd: string) => Promise<T>): Promise<T>;
}

export interface TreeJudgement {
  passed: boolean;
  checks: CheckResult[];
  judgement: Judgement;
}

/** The checks with the base's versions of `files`, in a scratch tree at the attempt's commit. */
function heldOutChecks(request: TreeJudgementRequest, files: readonly string[], added: ReadonlySet<string>): Promise<CheckResult[]> {
  return request.scratchTree(request.headSha, async (cwd) => {
    await restorePaths(cwd, request.baseSha, files.filter((path) => !added.has(path)));
    // A check file the base did not have (a new conftest.py, a new lint config) is not there on the base.
    await Promise.all(files.filter((path) => added.has(path)).map((path) => rm(join(cwd, path), { force: true })));
    return runChecks(request.checks, cwd, request.options);
  });
}

function describe(j: Omit<Judgement, 'summary'>, passed: boolean): string {
  const parts: string[] = [];
  if (j.baseRed) parts.push(`the base was already red${j.stillFailing.length > 0 ? ` (${j.stillFailing.slice(0, 5).join('; ')} still failing, not held against it)` : ''}`);
  if (j.fixed.length > 0) parts.push(`fixes ${j.fixed.slice(0, 5).join('; ')}${j.fixed.length > 5 ? ` and ${j.fixed.length - 5} more` : ''}`);
  if (j.broken.length > 0) parts.push(`breaks ${j.broken.slice(0, 5).join('; ')}${j.broken.length > 5 ? ` and ${j.broken.length - 5} more` : ''}`);
  if (j.protectedFiles.length > 0) {
    const heldOut = j.heldOut?.every((c) => c.passed) === true ? 'pass' : 'fail';
    parts.push(`changes check files ${j.protectedFiles.join(', ')}; with the base's versions its checks ${heldOut}`);
  }
  if (j.flaky.length > 0) parts.push(`flaky: ${j.flaky.join(', ')} failed, then passed when run again`);
  const head = passed ? 'passes' : 'fails';
  return parts.length > 0 ? `${head}: ${parts.join('; ')}.` : `${head}.`;
}

export async function judgeTree(request: TreeJudgementRequest): Promise<TreeJudgement> {
  const changes = await changedPaths(request.repo, request.baseSha, request.headSha);
  const { protectedFiles, addedTests } = classifyChanges(changes, request.rules);
  const checks = await runChecks(request.checks, request.cwd, request.options);
  const added = new Set(changes.filter((c) => c.kind === 'added').map((c) => c.path));
  const heldOut = protectedFiles.length > 0 && request.checks.length > 0 ? await heldOutChecks(request, protectedFiles, added) : null;
  const asLeft = weighChecks(checks, request.baseline);
  const withBase = heldOut === null ? null : weighChecks(heldOut, request.baseline);
  const passed = asLeft.passed && (withBase?.passed ?? true);
  const unique = (items: string[]) => [...new Set(items)];
  const partial = {
    protectedFiles,
    addedTests,
    heldOut,
    baseSha: request.baseline === null ? null : request.baseSha,
    baseRed: request.baseline?.some((c) => !c.passed) ?? false,
    fixed: unique([...asLeft.fixed, ...(withBase?.fixed ?? [])]).filter((t) => withBase === null || withBase.fixed.includes(t)),
    broken: unique([...asLeft.broken, ...(withBase?.broken ?? [])]),
    stillFailing: unique([...asLeft.stillFailing, ...(withBase?.stillFailing ?? [])]),
    flaky: unique([...checks, ...(heldOut ?? [])].filter((c) => c.flaky === true).map((c) => c.name)),
  };
  return { passed, checks, judgement: { ...partial, summary: describe(partial, passed) } };
}
