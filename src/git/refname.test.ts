import { describe, expect, it } from 'vitest';
import { git } from './exec.ts';
import { isValidRefName, validateBranchName } from './refname.ts';

// Names that probe every rule of `git check-ref-format`, plus ordinary ones. git itself is the oracle.
const names = [
  'main', 'feature/x', 'orch/run_1/main/1', 'a.b', 'v1.2.3', 'a-b_c', 'x@y', 'é-unicode', 'a/b/c/d',
  '', '@', 'HEAD', 'a..b', 'a//b', '/a', 'a/', 'a.', '.a', 'a/.b', 'a.lock', 'a/b.lock', 'a.lock/b', 'a@{1}',
  'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a\tb', 'a\x7fb', '-a', 'a/-b', 'a..', '..', '.', 'a/./b',
  'refs/heads/x', 'a.lockx', '@a', 'a@', '{a}', 'a{b}', 'a/@', 'a/@/b',
];

async function gitAccepts(name: string): Promise<boolean> {
  const result = await git(['check-ref-format', '--branch', name], { cwd: process.cwd(), allowFailure: true });
  return result.exitCode === 0 && result.stdout === name;
}

describe('ref names without a git process', () => {
  it.each(names)('judges branch name %j as git check-ref-format --branch does', async (name) => {
    const ours = await validateBranchName('.', name).then(
      () => true,
      () => false,
    );
    // orch refuses a few names git would take: a leading '-' (an option elsewhere) and '@' (another name for HEAD).
    if (name.startsWith('-') || name === '@') return expect(ours).toBe(false);
    expect(ours).toBe(await gitAccepts(name));
  });

  it('needs two levels for a full ref unless told otherwise', () => {
    expect(isValidRefName('main')).toBe(false);
    expect(isValidRefName('main', { allowOneLevel: true })).toBe(true);
    expect(isValidRefName('refs/heads/main')).toBe(true);
  });
});
