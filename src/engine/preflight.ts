// Checks of the repository and of ORCH_HOME that must pass before orch writes anything: each failure says what is
// wrong and what to do, instead of a run that breaks half-way (or after the agents' work) on a lock or a full disk.
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { RepositoryError, UsageError } from '../domain/errors.ts';
import { orchPaths } from '../domain/paths.ts';
import { git, type Repository } from '../git/index.ts';
import { Store } from '../store/store.ts';

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
function makeDirectories(dir: string): void {
  if (statOrUndefined(dir, true) !== undefined) return;
  makeDirectories(dirname(dir));
  try {
    mkdirSync(dir);
  } catch (error) {
    // Another orch starting at the same moment made it: fine, as long as it is a directory.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || statOrUndefined(dir, true)?.isDirectory() !== true) throw error;
  }
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
    if (existing === undefined) makeDirectories(home);
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
    return new Store(database);
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
