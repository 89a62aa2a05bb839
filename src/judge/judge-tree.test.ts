import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addWorktree, commitAll, openRepository } from '../git/index.ts';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';

const temp = useTempRepos();
const child = fileURLToPath(new URL('../../test/fixtures/judge-held-out.ts', import.meta.url));

/** Run the judging child to its end; answers its exit (code or signal) and what it printed. */
function judgeInChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

async function attemptThatRewritesTheTest() {
  const repo = await temp.repo({ files: { 'src/sum.js': 'export const sum = (a, b) => a - b;\n', 'test/sum.test.js': 'base version of the test\n' } });
  const baseSha = await repo.git(['rev-parse', 'main']);
  const worktree = `${repo.dir}/attempt`;
  await addWorktree(await openRepository(repo.root), { path: worktree, branch: 'orch/test/1', startSha: baseSha });
  await repo.write('../attempt/test/sum.test.js', 'attempt version of the test\n');
  const headSha = await commitAll(worktree, 'the agent rewrote the test');
  if (headSha === null) throw new Error('nothing committed');
  return { repo, baseSha, headSha, worktree };
}

describe('held-out checks', () => {
  it("a kill -9 in the middle of the held-out checks leaves the attempt's worktree as the agent left it", async () => {
    const { repo, baseSha, headSha, worktree } = await attemptThatRewritesTheTest();
    // The check kills the judge (its parent) as soon as it sees the base's version of the test: mid held-out run.
    const command = 'if grep -q "base version" test/sum.test.js; then kill -9 $PPID; fi; exit 0';
    const result = await judgeInChild([repo.root, worktree, baseSha, headSha, command]);
    expect(result.signal).toBe('SIGKILL');
    expect(await repo.read('../attempt/test/sum.test.js')).toBe('attempt version of the test\n');
    expect(await repo.git(['status', '--porcelain'], worktree)).toBe('');
  });

  it('runs the checks again with the base versions and fails an attempt whose rewritten test hides the bug', async () => {
    const { repo, baseSha, headSha, worktree } = await attemptThatRewritesTheTest();
    const result = await judgeInChild([repo.root, worktree, baseSha, headSha, '! grep -q "base version" test/sum.test.js']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ passed: false, protectedFiles: ['test/sum.test.js'] });
    expect(await repo.git(['status', '--porcelain'], worktree)).toBe('');
  });
});
