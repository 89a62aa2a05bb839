// Validation of ref and branch names that come from outside orch (flags, config, API), before they reach any argv.
import { UsageError } from '../domain/errors.ts';

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
 * git's own rules for a ref name (`git help check-ref-format`), in code: a git process per check cost more than
 * the rest of a name's handling, and the rules are fixed. `test/git-refname.test.ts` holds them to git's verdict.
 */
export function isValidRefName(name: string, options: { allowOneLevel?: boolean } = {}): boolean {
  if (name === '' || name === '@' || name.includes('@{') || name.includes('..') || name.includes('//')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  const components = name.split('/');
  if (components.length < 2 && options.allowOneLevel !== true) return false;
  return components.every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * Check a user-supplied branch name by the rules of `git check-ref-format --branch` and return it.
 * `@{-N}` and `@` are refused: they name other branches rather than being names themselves.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a refusal is a rejection, as callers expect
export async function validateBranchName(_cwd: string, name: string): Promise<string> {
  assertRefSyntax(name, 'branch name');
  // `git check-ref-format --branch` checks `refs/heads/<name>`; it also refuses HEAD as a branch name.
  if (name === '@' || name === 'HEAD' || !isValidRefName(`refs/heads/${name}`)) throw invalidBranch(name);
  return name;
}

/** Full ref names (`refs/heads/x`) that orch itself builds; checked by git's own rules. */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a refusal is a rejection, as callers expect
export async function validateFullRef(_cwd: string, ref: string): Promise<string> {
  assertRefSyntax(ref);
  if (!ref.startsWith('refs/') || !isValidRefName(ref)) throw new UsageError(`'${ref}' is not a valid full ref name.`, { data: { ref } });
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
