import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotTree, useTempRepos } from '../../test/helpers/git-fixture.ts';
import { runHiddenCheck } from './hidden-check.ts';
import { checkTaskBases } from './task-bases.ts';
import type { Suite } from './suite.ts';
import { cloneForCell, evalTarget, prepareSources } from './task-repo.ts';

const temp = useTempRepos();
const noSandbox = { mode: 'none' as const, orchHome: '', kind: 'check' as const, network: 'none' as const, allowHosts: [], maxProcesses: 0 };
const hidden = { command: 'test "$(cat answer.txt)" = 42 && test -f test/hidden.txt', timeoutSeconds: 60, network: false };

function suiteAt(dir: string, repo: string): Suite {
  return { name: 's', path: join(dir, 'suite.jsonc'), dir, tasks: [{ id: 't', repo, base: 'v1', goal: 'g', hidden }] };
}

describe('eval repositories and hidden checks', () => {
  it('mirrors a URL once into the cache and clones each cell from it, at the base, leaving the origin untouched', async () => {
    const origin = await temp.repo({ files: { 'answer.txt': '41\n' } });
    await origin.git(['tag', 'v1']);
    await origin.commit('later work', { 'answer.txt': 'later\n' });
    const before = await snapshotTree(origin.root);
    const dir = await temp.dir();
    const suite = suiteAt(dir, pathToFileURL(origin.root).href);
    const task = suite.tasks[0];
    if (task === undefined) throw new Error('no task');

    const cache = join(dir, 'cache');
    const source = (await prepareSources(suite, [task], cache)).get('t') ?? '';
    expect(source.startsWith(cache)).toBe(true);
    expect(readdirSync(cache)).toHaveLength(1);
    // A second eval fetches into the same mirror.
    expect((await prepareSources(suite, [task], cache)).get('t')).toBe(source);

    const clone = join(dir, 'cell', 'repo');
    const base = await cloneForCell(task, source, clone);
    expect(base).toBe(await origin.git(['rev-parse', 'v1']));
    expect(await origin.git(['rev-parse', `refs/heads/${evalTarget}`], clone)).toBe(base);
    expect(await origin.git(['status', '--porcelain'], clone)).toBe('');
    expect(await snapshotTree(origin.root)).toEqual(before);

    await expect(cloneForCell({ ...task, base: 'no-such-ref' }, source, clone)).rejects.toThrow("the base 'no-such-ref' is not a branch, tag or commit");
  });

  it('applies the hidden patch only in a scratch checkout, and fails a result the patch does not apply to', async () => {
    const repo = await temp.repo({ files: { 'answer.txt': '41\n', 'test/visible.txt': 'v\n' } });
    const base = await repo.git(['rev-parse', 'HEAD']);
    const fixed = await repo.commit('the fix', { 'answer.txt': '42\n' });
    const dir = await temp.dir();
    const patch = join(dir, 'hidden.patch');
    await writeFile(patch, 'diff --git a/test/hidden.txt b/test/hidden.txt\nnew file mode 100644\n--- /dev/null\n+++ b/test/hidden.txt\n@@ -0,0 +1 @@\n+hidden\n');
    const check = (sha: string, scratch: string) => runHiddenCheck({ root: repo.root, sha, check: hidden, patch, scratch: join(dir, scratch), sandbox: noSandbox });

    await expect(check(fixed, 'a')).resolves.toMatchObject({ passed: true });
    await expect(check(base, 'b')).resolves.toMatchObject({ passed: false });
    // The repository never saw the patch, and the scratch checkouts are gone.
    expect(existsSync(join(repo.root, 'test', 'hidden.txt'))).toBe(false);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(await repo.git(['worktree', 'list'])).not.toContain(dir);

    const clash = await repo.commit('an agent added its own test/hidden.txt', { 'test/hidden.txt': 'mine\n' });
    const outcome = await check(clash, 'c');
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toContain('the hidden test patch does not apply');
  });

  it("says which tasks' hidden checks already pass on their base, checking each base once", async () => {
    const origin = await temp.repo({ files: { 'answer.txt': '42\n' } });
    await origin.git(['tag', 'v1']);
    const dir = await temp.dir();
    const counter = join(dir, 'runs.log');
    const suite = suiteAt(dir, origin.root);
    const done = { ...hidden, command: `echo ran >> '${counter}'; test "$(cat answer.txt)" = 42` };
    const tasks = [
      { id: 'already-done', repo: origin.root, base: 'v1', goal: 'g', hidden: done },
      { id: 'real', repo: origin.root, base: 'v1', goal: 'g', hidden: { ...done, command: `echo ran >> '${counter}'; false` } },
    ];
    const request = { suite, sources: new Map(tasks.map((t) => [t.id, origin.root])), outDir: join(dir, 'out'), sandbox: noSandbox };
    const bases = await checkTaskBases(request, tasks);
    expect(bases['already-done']?.passesOnBase).toBe(true);
    expect(bases['real']?.passesOnBase).toBe(false);
    await checkTaskBases(request, tasks);
    expect(readFileSync(counter, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
