// Merging without a working tree: `git merge-tree --write-tree` computes the result in the object store only,
// so neither the user's checkout nor any index is touched; commit-tree then records it.
import { failure, git } from './exec.ts';
import { identityEnv, type GitIdentity } from './identity.ts';
import { assertSha } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';

export interface MergeMessage {
  /** The paths the message is about. */
  paths: string[];
  /** e.g. 'Auto-merging', 'CONFLICT (contents)', 'CONFLICT (modify/delete)'. */
  type: string;
  message: string;
}

export type MergeTreeResult =
  | { clean: true; tree: string; messages: MergeMessage[] }
  | {
      clean: false;
      /** The merged tree with conflict markers in the conflicted files: what a resolving agent starts from. */
      tree: string;
      conflicts: { path: string }[];
      messages: MergeMessage[];
    };

export async function mergeTree(repo: RepoRef, oursSha: string, theirsSha: string): Promise<MergeTreeResult> {
  const result = await git(
    ['merge-tree', '--write-tree', '--name-only', '-z', '--end-of-options', assertSha(oursSha), assertSha(theirsSha)],
    { cwd: cwdOf(repo), allowFailure: true },
  );
  // 0: clean, 1: conflicts; anything else (unrelated histories, missing objects) is a failure to merge at all.
  if (result.exitCode !== 0 && result.exitCode !== 1) throw failure(result);
  const parsed = parseMergeTree(result.stdout);
  return result.exitCode === 0
    ? { clean: true, tree: parsed.tree, messages: parsed.messages }
    : { clean: false, tree: parsed.tree, conflicts: parsed.conflicts.map((path) => ({ path })), messages: parsed.messages };
}

// `<tree>\0` then conflicted paths `<path>\0`… then `\0`, then messages `<n>\0<path>\0…<type>\0<text>\0`.
export function parseMergeTree(output: string): { tree: string; conflicts: string[]; messages: MergeMessage[] } {
  const fields = output.split('\0');
  const tree = fields[0] ?? '';
  let i = 1;
  const conflicts: string[] = [];
  while (i < fields.length && fields[i] !== '') conflicts.push(fields[i++] ?? '');
  i++;
  const messages: MergeMessage[] = [];
  while (i < fields.length) {
    const count = Number(fields[i]);
    if (fields[i] === '' || !Number.isSafeInteger(count)) break;
    const paths = fields.slice(i + 1, i + 1 + count);
    const type = fields[i + 1 + count] ?? '';
    const message = (fields[i + 2 + count] ?? '').trimEnd();
    messages.push({ paths, type, message });
    i += count + 3;
  }
  return { tree, conflicts, messages };
}

/** Record `tree` as a commit with the given parents (first parent = the branch being merged into). Unsigned. */
export async function commitTree(
  repo: RepoRef,
  tree: string,
  parents: readonly string[],
  message: string,
  identity?: GitIdentity,
): Promise<string> {
  const parentArgs = parents.flatMap((parent) => ['-p', assertSha(parent)]);
  const result = await git(['commit-tree', '--no-gpg-sign', ...parentArgs, '-F', '-', assertSha(tree, 'tree')], {
    cwd: cwdOf(repo),
    env: identityEnv(identity),
    input: message,
  });
  return result.stdout;
}
