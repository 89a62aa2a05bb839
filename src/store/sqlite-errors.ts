// SQLite's failures that a person must act on, as orch errors that say what happened and what to do: a full disk,
// a damaged database file, a database from a newer orch. Anything else is left as it is (an orch bug).
import { statfsSync } from 'node:fs';
import { OrchError } from '../domain/errors.ts';

/** The SQLite or errno code of `error` or of an error it was caused by. */
export function sqliteCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(SQLITE_|E[A-Z]+$)/.test(code)) return code;
  }
  return undefined;
}

/** A full disk, said by SQLite, the file system, or a child process (git) in its own words. */
export const isDiskFull = (error: unknown): boolean => {
  const code = sqliteCodeOf(error) ?? '';
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT' || code === 'disk_full') return true;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === 'disk_full') return true;
    const stderr = (e as { stderr?: unknown }).stderr;
    if (/No space left on device|database or disk is full|Disk quota exceeded/.test(`${e.message}\n${typeof stderr === 'string' ? stderr : ''}`)) return true;
  }
  return false;
};

/** Under this much free space an I/O error (SQLite's SQLITE_IOERR on a WAL append, for one) is read as a full disk. */
const nearlyFullBytes = 1024 * 1024;

/**
 * `isDiskFull`, or an I/O error on a disk that has (nearly) no room left at `path`: SQLite reports a failed write to
 * its WAL as "disk I/O error" rather than SQLITE_FULL.
 */
export function isDiskFullAt(path: string, error: unknown): boolean {
  if (isDiskFull(error)) return true;
  if (!(sqliteCodeOf(error) ?? '').startsWith('SQLITE_IOERR') && sqliteCodeOf(error) !== 'EIO') return false;
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize < nearlyFullBytes;
  } catch {
    return false;
  }
}

/** The disk under `path` is full: what to do is free space, then resume. */
export function diskFullError(path: string, error: unknown, what = "orch's database"): OrchError {
  return new OrchError('disk_full', `The disk holding ${path} is full: ${what} could not be written (${sqliteCodeOf(error) ?? 'no space left'}).`, {
    cause: error,
    hint: 'Free some space on that disk (or set ORCH_HOME to a directory on another disk), then run orch again; an interrupted run goes on with: orch resume <run>',
    data: { path },
  });
}

/** A database file that SQLite cannot read: say so and how to keep what it holds. */
export function damagedDatabaseError(path: string, error: unknown): OrchError {
  return new OrchError('store_unusable', `The orch database ${path} is damaged: ${(error as Error).message} (${sqliteCodeOf(error) ?? 'unreadable'}).`, {
    cause: error,
    hint: `Move it aside (mv '${path}' '${path}.damaged'); orch then starts an empty one. Your repositories and their orch/ branches are not in it. sqlite3 '${path}.damaged' .recover may save its records.`,
    data: { path },
  });
}

/** A SQLite failure as an orch error a person can act on, or `error` unchanged. */
export function storeErrorFrom(path: string, error: unknown): unknown {
  if (error instanceof OrchError) return error;
  const code = sqliteCodeOf(error) ?? '';
  if (isDiskFullAt(path, error)) return diskFullError(path, error);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedDatabaseError(path, error);
  return error;
}
