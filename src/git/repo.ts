// Opening a repository and reading its state: commits, branches, cleanliness. Nothing here writes.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { RepositoryError } from '../domain/errors.ts';
import { failure, git } from './exec.ts';
import { looseRefFromFiles } from './head-file.ts';
import { assertRefSyntax, validateBranchName } from './refname.ts';

export interface Repository {
  /** The top of the working tree that `path` was in (a linked worktree's own root when opened there). */
  root: string;
  /** This working tree's git directory (`.git`, or `.git/worktrees/<name>` in a linked worktree). */
  gitDir: string;
  /** The directory shared by all worktrees: refs, objects, info/exclude. */
  commonDir: string;
}

/** A repository, or any directory inside one of its working trees. */
export type RepoRef = Repository | string;

export function cwdOf(repo: RepoRef): string {
  return typeof repo === 'string' ? repo : repo.root;
}

/** Open the repository containing `path`; refuses bare repositories and repositories without commits. */
export async function openRepository(path: string): Promise<Repository> {
  if (!isAbsolute(path)) throw new TypeError(`openRepository: path must be absolute, got '${path}'`);
  const dir = resolve(path);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new RepositoryError('not_a_repository', `'${dir}' does not exist or is not a directory.`, {
      hint: 'Run orch inside a repository, or pass --repo <path>.',
      data: { path: dir },
    });
  }
  assertPathGitCanReport(await realpath(dir), dir);
  // The usual case in one git process: a working tree with commits. Anything else is told apart below.
  const quick = await git(
    ['rev-parse', '--path-format=absolute', '--is-bare-repository', '--is-inside-git-dir', '--absolute-git-dir', '--git-common-dir', '--show-toplevel', '--verify', '--quiet', 'HEAD^{commit}'],
    { cwd: dir, allowFailure: true },
  );
  const [bareFlag, insideFlag, quickGitDir, quickCommonDir, quickTop, quickHead] = quick.stdout.split('\n');
  if (quick.exitCode === 0 && quick.stdout.split('\n').length === 6 && bareFlag === 'false' && insideFlag === 'false' && quickGitDir && quickCommonDir && quickTop && quickHead) {
    return { root: quickTop, gitDir: quickGitDir, commonDir: quickCommonDir };
  }
  return openSlowly(dir);
}

/**
 * git answers in lines, and orch writes paths into exclude rules and audit files: a path with a line break or another
 * control character would be misread (in one case `.orch/` went unexcluded). Such a repository is refused.
 */
function assertPathGitCanReport(path: string, dir: string): void {
  const bad = /\p{Cc}/u.exec(path);
  if (bad === null) return;
  const what = bad[0] === '\n' || bad[0] === '\r' ? 'a line break' : `a control character (U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`;
  throw new RepositoryError('repository_state', `The repository path ${JSON.stringify(path)} holds ${what}; git reports paths line by line, so orch cannot work there safely.`, {
    hint: `Move or rename the directory to a name without it (mv ${JSON.stringify(path)} <new-path>), then run orch there.`,
    data: { path: dir },
  });
}

/** git refuses a repository owned by another user (CVE-2022-24765): say so, and the exact command that trusts it. */
function throwUnsafeOwnership(dir: string, stderr: string): void {
  if (!/dubious ownership|safe\.directory/.test(stderr)) return;
  const trusted = /git config --global --add safe\.directory (.+)$/m.exec(stderr)?.[1]?.trim() ?? dir;
  throw new RepositoryError('repository_state', `git refuses to work in '${trusted}': the repository belongs to another user than the one running orch (git's safe.directory check).`, {
    hint: `If you trust that repository: git config --global --add safe.directory '${trusted}' — or run orch as the user who owns it.`,
    data: { path: dir },
  });
}

/** Open a repository one question at a time, so that what is wrong can be said precisely. */
async function openSlowly(dir: string): Promise<Repository> {
  const probe = await git(
    ['rev-parse', '--path-format=absolute', '--is-bare-repository', '--is-inside-git-dir', '--absolute-git-dir', '--git-common-dir'],
    { cwd: dir, allowFailure: true },
  );
  const lines = probe.stdout.split('\n');
  const [bare, insideGitDir, gitDir, commonDir] = lines;
  if (probe.exitCode !== 0) throwUnsafeOwnership(dir, probe.stderr);
  // More lines than answers: a path git printed (the git directory, shared or linked) holds a line break.
  if (probe.exitCode === 0 && lines.length > 4) assertPathGitCanReport(probe.stdout.split('\n').slice(2).join('\n'), dir);
  if (probe.exitCode !== 0 || gitDir === undefined || commonDir === undefined) {
    throw new RepositoryError('not_a_repository', `'${dir}' is not a git repository.`, {
      hint: 'Run orch inside a repository, or pass --repo <path>.',
      data: { path: dir },
    });
  }
  if (bare === 'true') {
    throw new RepositoryError('repository_state', `'${dir}' is a bare repository; orch needs a working tree.`, {
      hint: `Clone it (git clone '${dir}' <dir>) and run orch in the clone.`,
      data: { path: dir },
    });
  }
  if (insideGitDir === 'true') {
    throw new RepositoryError('not_a_repository', `'${dir}' is inside a .git directory, not a working tree.`, {
      hint: 'Run orch from the working tree, or pass --repo <path>.',
      data: { path: dir },
    });
  }
  const top = await git(['rev-parse', '--show-toplevel'], { cwd: dir });
  const repo = { root: top.stdout, gitDir, commonDir };
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: repo.root, allowFailure: true });
  if (head.exitCode !== 0) {
    throw new RepositoryError('repository_state', `The repository at '${repo.root}' has no commits yet.`, {
      hint: 'Make a first commit, then run orch again.',
      data: { path: repo.root },
    });
  }
  return repo;
}

/** The commit a user-supplied ref names (branch, tag, sha, `HEAD~2`), as a full sha. `what` names it in errors ('base ref'). */
export async function resolveCommit(repo: RepoRef, ref: string, options: { what?: string } = {}): Promise<string> {
  const what = options.what ?? 'ref';
  assertRefSyntax(ref, what);
  const result = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: cwdOf(repo),
    allowFailure: true,
  });
  if (result.exitCode !== 0 || result.stdout === '') {
    throw new RepositoryError('ref_not_found', `Unknown ${what} '${ref}': it names no commit in this repository.`, {
      hint: "Check the name with 'git branch -a' or 'git log', or pass a commit sha.",
      data: { ref },
    });
  }
  return result.stdout;
}

/** The branch checked out in the working tree at `root`, or null when HEAD is detached. */
export async function currentBranch(root: string): Promise<string | null> {
  const result = await git(['symbolic-ref', '--quiet', 'HEAD'], { cwd: root, allowFailure: true });
  if (result.exitCode === 1) return null;
  if (result.exitCode !== 0) throw failure(result);
  return result.stdout.replace(/^refs\/heads\//, '');
}

/**
 * Whether the tree at `root` has no staged or unstaged changes to tracked files. Untracked files do not count:
 * a fast-forward that would overwrite one is refused by git itself.
 */
export async function isWorkingTreeClean(root: string): Promise<boolean> {
  const result = await git(['status', '--porcelain=v1', '-z', '--untracked-files=no', '--ignore-submodules=none'], { cwd: root });
  return result.stdout === '';
}

/** The commit a local branch is at, or null when it does not exist: one git process for both answers. */
export async function branchSha(repo: RepoRef, branch: string): Promise<string | null> {
  const cwd = cwdOf(repo);
  await validateBranchName(cwd, branch);
  // An opened repository knows its common dir: a loose branch ref is read there, without a git process.
  const loose = typeof repo === 'string' ? undefined : looseRefFromFiles(repo.commonDir, `refs/heads/${branch}`);
  if (loose !== undefined) return loose;
  const result = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branch}^{commit}`], { cwd, allowFailure: true });
  if (result.exitCode === 0 && result.stdout !== '') return result.stdout;
  if (result.exitCode === 1 || result.exitCode === 128) return null;
  throw failure(result);
}

export async function branchExists(repo: RepoRef, branch: string): Promise<boolean> {
  const cwd = cwdOf(repo);
  await validateBranchName(cwd, branch);
  const result = await git(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd, allowFailure: true });
  return result.exitCode === 0;
}

/** A shallow clone lacks history, so merge bases (and merge-tree) can fail; callers may want to warn. */
export async function isShallow(repo: RepoRef): Promise<boolean> {
  const result = await git(['rev-parse', '--is-shallow-repository'], { cwd: cwdOf(repo) });
  return result.stdout === 'true';
}
