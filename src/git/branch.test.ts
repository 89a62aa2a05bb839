import { describe, expect, it } from 'vitest';
import { OrchError } from '../domain/errors.ts';
import { git } from './exec.ts';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { attemptBranchName, branchSegment, deleteBranch } from './branch.ts';
import { validateBranchName } from './refname.ts';

const temp = useTempRepos();

const hostile = [
  '--upload-pack=x',
  '../../etc',
  'a b;rm -rf /',
  '$(touch /tmp/pwned)',
  '`id`',
  'x.lock',
  '.hidden',
  'HEAD',
  '@{-1}',
  '@',
  'refs/heads/main',
  'a..b',
  'tab\there',
  'new\nline',
  'ÜNICODE café',
  '////',
  '',
  '-',
  'x'.repeat(300),
  'end.',
  'a/b/c',
];

describe('attemptBranchName', () => {
  it('builds orch/<run>/<task>/<n> from tidy keys unchanged', () => {
    expect(attemptBranchName({ runId: 'r-01abc', taskKey: 'gen', n: 0 })).toBe('orch/r-01abc/gen/0');
  });

  it('turns hostile input into valid, four-segment names of [a-z0-9._-]', async () => {
    const dir = await temp.dir();
    for (const text of hostile) {
      const name = attemptBranchName({ runId: text, taskKey: text, n: 3 });
      const segments = name.split('/');
      expect(segments).toHaveLength(4);
      expect(segments[0]).toBe('orch');
      for (const segment of segments) {
        expect(segment).toMatch(/^[a-z0-9_][a-z0-9._-]*$/);
        expect(segment).not.toMatch(/\.\.|\.$|\.lock$/);
        expect(segment.length).toBeLessThanOrEqual(48 + 9);
      }
      const check = await git(['check-ref-format', '--branch', name], { cwd: dir, allowFailure: true });
      expect(check.exitCode, `${JSON.stringify(text)} -> ${name}`).toBe(0);
      expect(await validateBranchName(dir, name)).toBe(name);
    }
  });

  it('keeps different inputs apart after sanitising', () => {
    const segments = new Set(['a b', 'a-b', 'A-B', 'a_b', 'a  b'].map(branchSegment));
    expect(segments.size).toBe(5);
    expect(branchSegment('a b;rm -rf /')).toMatch(/^a-b-rm-rf-[0-9a-f]{8}$/);
    expect(branchSegment('--upload-pack=x')).toMatch(/^upload-pack-x-[0-9a-f]{8}$/);
  });

  it('rejects a bad attempt number', () => {
    expect(() => attemptBranchName({ runId: 'r', taskKey: 't', n: -1 })).toThrow(TypeError);
    expect(() => attemptBranchName({ runId: 'r', taskKey: 't', n: 1.5 })).toThrow(TypeError);
  });
});

describe('validateBranchName', () => {
  it('refuses names git would misread', async () => {
    const dir = await temp.dir();
    for (const name of ['--upload-pack=x', '-D', '@{-1}', '@', 'a..b', 'a b', 'x.lock', '', 'HEAD']) {
      await expect(validateBranchName(dir, name), name).rejects.toBeInstanceOf(OrchError);
    }
  });
});

describe('deleteBranch', () => {
  it("deletes orch's branches, even unmerged, and is idempotent", async () => {
    const repo = await temp.repo();
    await repo.git(['branch', 'orch/r/t/0']);
    await repo.git(['checkout', '--quiet', 'orch/r/t/0']);
    await repo.commit('unmerged', { 'x.txt': 'x\n' });
    await repo.git(['checkout', '--quiet', 'main']);
    expect(await deleteBranch(repo.root, 'orch/r/t/0')).toBe(true);
    expect(await repo.git(['branch', '--list', 'orch/*'])).toBe('');
    expect(await deleteBranch(repo.root, 'orch/r/t/0')).toBe(false);
  });

  it('refuses any branch outside orch/', async () => {
    const repo = await temp.repo();
    await repo.git(['branch', 'feature']);
    for (const name of ['main', 'feature', 'orch/', 'orchard', '-D']) {
      await expect(deleteBranch(repo.root, name), name).rejects.toBeInstanceOf(OrchError);
    }
    expect(await repo.git(['branch', '--list', '--format=%(refname:short)'])).toBe('feature\nmain');
  });
});
