// Validation of ref and branch names that come from outside orch (flags, config, API), before they reach any argv.
import { UsageError } from '../domain/errors.ts';
import { git } from './exec.ts';

const hexSha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Names that git could read as an option, or that carry bytes no ref may hold. Checked before git sees them. */
export function assertRefSyntax(ref: string, what = 'ref'): void {
  if (ref === '') throw new UsageError(`The ${what} is empty.`, { hint: 'Pass a branch name, tag or commit sha.' });
  if (ref.startsWith('-')) {
    throw new UsageError(`'${ref}' is not a valid ${what}: names may not start with '-'.`, {
      hint: 'Pass a branch name, tag or commit sha.',
      data: { ref },
    });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(ref)) {
    throw new UsageError(`The ${what} ${JSON.stringify(ref)} contains control characters.`, { data: { ref } });
  }
}

/**
 * Check a user-supplied branch name with `git check-ref-format --branch` and return it.
 * `@{-N}` and `@` are refused: they name other branches rather than being names themselves.
 */
// git's verdict on a name without '@' does not depend on the repository: remember the names it accepted.
const validBranches = new Set<string>();
const validRefs = new Set<string>();

export async function validateBranchName(cwd: string, name: string): Promise<string> {
  assertRefSyntax(name, 'branch name');
  if (name === '@' || name.includes('@{')) throw invalidBranch(name);
  if (validBranches.has(name)) return name;
  const result = await git(['check-ref-format', '--branch', name], { cwd, allowFailure: true });
  if (result.exitCode !== 0 || result.stdout !== name) throw invalidBranch(name);
  if (!name.includes('@')) validBranches.add(name);
  return name;
}

/** Full ref names (`refs/heads/x`) that orch itself builds; checked by git's own rules. */
export async function validateFullRef(cwd: string, ref: string): Promise<string> {
  assertRefSyntax(ref);
  if (validRefs.has(ref)) return ref;
  const result = await git(['check-ref-format', ref], { cwd, allowFailure: true });
  if (!ref.startsWith('refs/') || result.exitCode !== 0) {
    throw new UsageError(`'${ref}' is not a valid full ref name.`, { data: { ref } });
  }
  if (!ref.includes('@')) validRefs.add(ref);
  return ref;
}

/** Object ids orch passes around internally; anything else is a bug upstream, not user input. */
export function assertSha(sha: string, what = 'commit'): string {
  if (!hexSha.test(sha)) throw new TypeError(`expected a full ${what} sha, got ${JSON.stringify(sha)}`);
  return sha;
}

function invalidBranch(name: string): UsageError {
  return new UsageError(`'${name}' is not a valid branch name.`, {
    hint: "See 'git help check-ref-format' for the rules.",
    data: { branch: name },
  });
}
