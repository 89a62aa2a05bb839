import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../domain/records.ts';
import { addWorktree, commitAll, openRepository } from '../git/index.ts';
import { run } from '../process/run.ts';
import { useTempRepos, type TempRepo } from '../../test/helpers/git-fixture.ts';
import { integrate, type IntegrateRequest } from './refinery.ts';

const temp = useTempRepos();

/** The project's one check, for real: it fails while `known-bug.txt` or `new-bug.txt` is in the tree. */
async function check(cwd: string): Promise<CheckResult[]> {
  const command = 'test ! -e known-bug.txt && test ! -e new-bug.txt';
  const result = await run(['/bin/sh', '-c', command], { cwd });
  return [{ name: 'test', command, exitCode: result.exitCode, passed: result.exitCode === 0, timedOut: false, durationMs: 1, outputTail: '' }];
}

async function attemptWith(repo: TempRepo, files: Record<string, string>): Promise<string> {
  const path = `${repo.dir}/wt`;
  await addWorktree(await openRepository(repo.root), { path, branch: 'orch/run/t/1', startSha: await repo.git(['rev-parse', 'main']) });
  for (const [file, content] of Object.entries(files)) await repo.write(`../wt/${file}`, content);
  const sha = await commitAll(path, 'attempt');
  if (sha === null) throw new Error('nothing committed');
  return sha;
}

async function integrateWith(repo: TempRepo, headSha: string, baseline: IntegrateRequest['baseline']) {
  await repo.git(['switch', '--quiet', '-c', 'elsewhere']);
  return integrate({
    repo: await openRepository(repo.root),
    runId: 'run_x',
    attemptId: 'att_x',
    target: 'main',
    headSha,
    message: 'orch: merge',
    integrationPath: `${repo.dir}/integration`,
    integrationBranch: 'orch/run_x/integrate',
    resultBranch: 'orch/run_x/result',
    runChecks: check,
    baseline,
    resolve: () => Promise.resolve({ resolved: false, error: 'no resolver in this test' }),
  });
}

describe('the refinery weighs the merged tree against the base', () => {
  it('merges work on a red base when the failure was already there', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n', 'known-bug.txt': 'red before the run\n' } });
    const head = await attemptWith(repo, { 'feature.txt': 'the task\n' });
    const base = await repo.git(['rev-parse', 'main']);
    const outcome = await integrateWith(repo, head, () => check(repo.root));
    expect(outcome.merge.status).toBe('merged');
    expect(outcome.checks[0]?.passed).toBe(false);
    expect(await repo.git(['rev-parse', 'main'])).not.toBe(base);
    expect(await repo.git(['show', 'main:feature.txt'])).toBe('the task');
  });

  it('rejects a merge that breaks a check the base passed, and says so', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n' } });
    const head = await attemptWith(repo, { 'new-bug.txt': 'broken by the attempt\n' });
    const base = await repo.git(['rev-parse', 'main']);
    const outcome = await integrateWith(repo, head, () => check(repo.root));
    expect(outcome.merge.status).toBe('checks_failed');
    expect(outcome.merge.message).toContain('breaks test (passing on the base)');
    expect(await repo.git(['rev-parse', 'main'])).toBe(base);
  });

  it('without a baseline, any failing check rejects the merge', async () => {
    const repo = await temp.repo({ files: { 'a.txt': 'a\n', 'known-bug.txt': 'red\n' } });
    const head = await attemptWith(repo, { 'feature.txt': 'the task\n' });
    const base = await repo.git(['rev-parse', 'main']);
    const outcome = await integrateWith(repo, head, () => Promise.resolve(null));
    expect(outcome.merge.status).toBe('checks_failed');
    expect(outcome.merge.message).toContain('fails test');
    expect(await repo.git(['rev-parse', 'main'])).toBe(base);
  });
});
