// Checks of the repository and of ORCH_HOME that must pass before orch writes anything: each failure says what is
// wrong and what to do, instead of a run that breaks half-way (or after the agents' work) on a lock or a full disk.
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, closeSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { RepositoryError, UsageError } from '../../domain/errors.ts';
import { orchPaths } from '../../domain/paths.ts';
import { git, type Repository } from '../../git/index.ts';
import { Store } from '../../store/store.ts';

const statOrUndefined = (path: string, follow: boolean): Stats | undefined => {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
};

/**
 * The repository can take a run into `target`: `<repo>/.orch` can hold the audit trail, and no other git process
 * holds the target's ref lock or, where the target is checked out (`checkedOutIn`), that tree's index lock.
 */
export async function assertRepositoryReady(repo: Repository, target: string, checkedOutIn: string | null): Promise<void> {
  const orchDir = join(repo.root, '.orch');
  if (statOrUndefined(orchDir, false) !== undefined && statOrUndefined(orchDir, true)?.isDirectory() !== true) {
    throw new RepositoryError('repository_state', `${orchDir} exists but is not a directory; orch keeps its audit trail of each run there.`, {
      hint: 'Rename or remove it (orch did not make it), then run orch again.',
      data: { path: orchDir },
    });
  }
  // A symlink would send the audit trail (written by orch, named by the repository) anywhere on the disk.
  for (const path of [orchDir, join(orchDir, 'runs')]) {
    if (statOrUndefined(path, false)?.isSymbolicLink() === true) {
      throw new RepositoryError('repository_state', `${path} is a symbolic link; orch writes its audit trail there and will not follow a link out of the repository.`, {
        hint: 'Remove the link (orch did not make it), then run orch again.',
        data: { path },
      });
    }
  }
  assertWritable(repo, orchDir);
  assertOrchNamespaceFree(repo);
  const refLock = join(repo.commonDir, 'refs', 'heads', `${target}.lock`);
  if (statOrUndefined(refLock, false) !== undefined) {
    throw new RepositoryError('repository_state', `The target branch '${target}' is locked: ${refLock} exists, so another git process is updating it (or one crashed).`, {
      hint: `Wait for that git command to finish; if none is running, delete ${refLock} and run orch again.`,
      data: { path: refLock },
    });
  }
  if (checkedOutIn !== null) {
    const probe = await git(['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'], { cwd: checkedOutIn });
    if (statOrUndefined(probe.stdout, false) !== undefined) {
      throw new RepositoryError('repository_state', `The working tree ${checkedOutIn}, where the target branch '${target}' is checked out, is locked: ${probe.stdout} exists (another git process is running, or one crashed).`, {
        hint: `Wait for that git command to finish; if none is running, delete ${probe.stdout}. Or pass --target <another-branch>.`,
        data: { path: probe.stdout },
      });
    }
  }
}

/** orch writes branches and objects into the git directory and its audit trail into `.orch`: both must take writes. */
function assertWritable(repo: Repository, orchDir: string): void {
  const auditParent = statOrUndefined(orchDir, true)?.isDirectory() === true ? orchDir : repo.root;
  for (const [path, what] of [
    [repo.commonDir, 'its branches and commits into'],
    [join(repo.commonDir, 'objects'), 'its commits into'],
    [auditParent, 'the audit trail of each run into'],
  ] as const) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
      const why = code === 'EROFS' ? 'its file system is read-only' : `permission denied (${code})`;
      throw new RepositoryError('repository_state', `The repository at ${repo.root} cannot be written: ${path} is not writable (${why}); orch writes ${what} it.`, {
        hint: code === 'EROFS' ? `Run orch on a writable clone (git clone '${repo.root}' <dir>), or remount the disk writable.` : 'Run orch as a user who may write there, or on a writable clone (git clone <repo> <dir>).',
        cause: error,
        data: { path },
      });
    }
  }
}

/**
 * orch's branches live under `orch/` (orch/<run>/…). A branch named `orch` itself, or `orch/<x>` where orch needs a
 * folder, would make git refuse every one of them half-way through a run: refused before anything starts.
 */
function assertOrchNamespaceFree(repo: Repository): void {
  const loose = statOrUndefined(join(repo.commonDir, 'refs', 'heads', 'orch'), false);
  let packed = false;
  try {
    packed = /^[0-9a-f]+ refs\/heads\/orch$/m.test(readFileSync(join(repo.commonDir, 'packed-refs'), 'utf8'));
  } catch {
    // No packed refs.
  }
  if ((loose !== undefined && !loose.isDirectory()) || packed) {
    throw new RepositoryError('repository_state', "This repository has a branch named 'orch', so git cannot create orch's own branches (orch/<run>/…) beside it.", {
      hint: 'Rename that branch (git branch -m orch <new-name>), then run orch again.',
      data: { branch: 'orch' },
    });
  }
}

const homeHint = 'Set ORCH_HOME to a writable directory on a disk with free space (or unset it for ~/.orch).';
const fullCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const unwritableCodes = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']);

/** The first errno or SQLite code along an error's cause chain (orch's own lower-case codes are skipped). */
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

/** A disk-full or not-writable failure under ORCH_HOME as a bad-input error naming ORCH_HOME; anything else unchanged. */
function orchHomeError(home: string, error: unknown): unknown {
  const code = codeOf(error) ?? '';
  const options = { cause: error, data: { orchHome: home } };
  if (fullCodes.has(code) || code.startsWith('SQLITE_FULL')) {
    return new UsageError(`The disk holding ORCH_HOME (${home}) is full: no space left for orch's database and logs (${code}).`, {
      ...options,
      hint: 'Free some space on that disk, or set ORCH_HOME to a directory on another disk.',
    });
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new UsageError(`ORCH_HOME (${home}) cannot be a directory: a part of that path is a file.`, { ...options, hint: homeHint });
  }
  if (unwritableCodes.has(code) || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    const reason = code === 'EROFS' ? 'its file system is read-only' : code.startsWith('SQLITE') ? `its database cannot be written (${code})` : `permission denied (${code})`;
    return new UsageError(`ORCH_HOME (${home}) is not writable: ${reason}.`, { ...options, hint: homeHint });
  }
  return error;
}

/** `mkdir -p` one level at a time: a recursive mkdir reports ENOENT where the real cause is EROFS or EACCES. */
function makeDirectories(dir: string, mode = 0o777): void {
  if (statOrUndefined(dir, true) !== undefined) return;
  makeDirectories(dirname(dir));
  try {
    mkdirSync(dir, { mode });
  } catch (error) {
    // Another orch starting at the same moment made it: fine, as long as it is a directory.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || statOrUndefined(dir, true)?.isDirectory() !== true) throw error;
  }
}

/** chmod a file or directory that exists and belongs to this user; anything else is left alone. */
function chmodIfOwned(path: string, mode: number): void {
  const stats = statOrUndefined(path, false);
  if (stats === undefined || stats.isSymbolicLink() || (process.getuid !== undefined && stats.uid !== process.getuid())) return;
  if ((stats.mode & 0o777) !== mode) chmodSync(path, mode);
}

/**
 * ORCH_HOME holds the database, agent logs and agents' config: only its owner may look inside. A new one is made
 * 0700; an existing one is tightened only when it is an orch home (it holds orch's database), never a directory
 * such as /tmp that someone pointed ORCH_HOME at.
 */
function makePrivate(home: string, created: boolean): void {
  if (created || statOrUndefined(orchPaths(home).database, false) !== undefined) chmodIfOwned(home, 0o700);
}

/** ORCH_HOME is, or can be made, a directory orch can write to, on a disk that has room. */
export function assertOrchHomeUsable(home: string): void {
  const existing = statOrUndefined(home, true);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new UsageError(`ORCH_HOME (${home}) is a file, not a directory.`, { hint: homeHint, data: { orchHome: home } });
  }
  const probe = join(home, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    if (existing === undefined) makeDirectories(home, 0o700);
    makePrivate(home, existing === undefined);
    fd = openSync(probe, 'wx');
    // Some pages, not just a name: a full disk still lets some file systems create an empty file.
    writeSync(fd, Buffer.alloc(16 * 1024));
  } catch (error) {
    throw orchHomeError(home, error);
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
      unlinkSync(probe);
    }
  }
}

/**
 * The store under ORCH_HOME, after `assertOrchHomeUsable`. When the disk fills while a new database is being
 * created, the half-made files are removed, so the next orch starts from nothing rather than from a broken file.
 */
export function openOrchStore(home: string): Store {
  assertOrchHomeUsable(home);
  const database = orchPaths(home).database;
  const isNew = statOrUndefined(database, false) === undefined;
  try {
    // The database holds goals, agent activity and API key hashes: 0600 from its first byte. SQLite gives its -wal
    // and -shm files the database file's mode; files an older orch made are tightened too.
    if (isNew) closeSync(openSync(database, 'a', 0o600));
    const files = ['', '-wal', '-shm'].map((suffix) => `${database}${suffix}`);
    for (const file of files) chmodIfOwned(file, 0o600);
    const store = new Store(database);
    for (const file of files) chmodIfOwned(file, 0o600);
    return store;
  } catch (error) {
    const mapped = orchHomeError(home, error);
    if (mapped !== error && isNew) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        try {
          unlinkSync(`${database}${suffix}`);
        } catch {
          // Not created, or already gone.
        }
      }
    }
    throw mapped;
  }
}
